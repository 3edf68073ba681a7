/**
 * The derived categories of a file with their reasons, and the facts missing
 * that decide them (缺少关键信息): shown on the child page and in the
 * supervisor's approval dialog, so that a left-behind child whose parents'
 * date of leaving is blank is seen, not silently left out.
 */
import { Alert, Tag, Typography } from 'antd';
import type { ChildDetail } from '../../../../domain/children/schema.js';
import { categoryReasonLabel, missingFactLabel } from '../../shared/i18n/child-labels.js';
import { useT, type MessageKey } from './strings.js';

const ROWS: { key: keyof ChildDetail['categories']; label: MessageKey }[] = [
  { key: 'leftBehind', label: 'child.category.left_behind' },
  { key: 'distress', label: 'child.category.distress' },
  { key: 'unsupported', label: 'child.category.unsupported' },
];

/** The file lacks a fact that decides a category: which, and what it means. */
export function MissingFactsAlert({ child, className }: { child: Pick<ChildDetail, 'missingFacts'>; className?: string }) {
  const t = useT();
  if (child.missingFacts.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className={className}
      data-testid="missing-facts"
      message={t('childPage.missingFacts', { facts: child.missingFacts.map((fact) => missingFactLabel(t, fact)).join('、') })}
      description={t('childPage.missingFactsHelp')}
    />
  );
}

/** Each category, derived (and any override), with the reasons the rules give. */
export function CategorySummary({ child }: { child: Pick<ChildDetail, 'categories' | 'missingFacts'> }) {
  const t = useT();
  return (
    <div className="category-summary" data-testid="category-summary">
      <MissingFactsAlert child={child} className="category-summary-alert" />
      {ROWS.map((row) => {
        const state = child.categories[row.key];
        return (
          <div key={row.key} className="category-summary-row" data-testid={`category-summary-${row.key}`}>
            <div className="category-summary-head">
              <Typography.Text strong>{t(row.label)}</Typography.Text>
              <Tag color={state.value ? 'green' : 'default'} data-testid="category-summary-value">
                {t(state.value ? 'childPage.belongs' : 'childPage.notBelongs')}
              </Tag>
              {state.override ? <Tag color="orange">{t('childReview.overridden')}</Tag> : null}
            </div>
            <ul className="child-reasons">
              {state.reasons.map((reason, index) => (
                <li key={`${reason.code}-${index}`}>{categoryReasonLabel(t, reason)}</li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
