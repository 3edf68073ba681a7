import { Tag } from 'antd';
import type { ChildStatus, RiskLevel } from './api.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';

const STATUS_COLOURS: Record<ChildStatus, string> = {
  pending: 'gold',
  returned: 'volcano',
  active: 'green',
  closing: 'purple',
  closed: 'default',
};

const RISK_COLOURS: Record<RiskLevel, string> = { low: 'default', medium: 'gold', high: 'orange', urgent: 'red' };

export function ChildStatusTag({ status }: { status: ChildStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOURS[status]} data-testid="child-status" className="child-tag">
      {enumLabel(t, 'status', status)}
    </Tag>
  );
}

/** `withLabel` says what the word is about (风险：低) where no column header does. */
export function RiskTag({ risk, withLabel = false }: { risk: RiskLevel; withLabel?: boolean }) {
  const t = useT();
  return (
    <Tag color={RISK_COLOURS[risk]} className="child-tag">
      {withLabel ? t('children.riskLabel', { risk: enumLabel(t, 'risk', risk) }) : enumLabel(t, 'risk', risk)}
    </Tag>
  );
}

/** 留守 / 困境 / 事实无人抚养 as tags; nothing when the child is in none. */
export function CategoryTags({ leftBehind, distress, unsupported }: { leftBehind: boolean; distress: boolean; unsupported: boolean }) {
  const t = useT();
  return (
    <span className="child-tags">
      {leftBehind ? (
        <Tag color="blue" className="child-tag">
          {t('child.category.left_behind')}
        </Tag>
      ) : null}
      {distress ? (
        <Tag color="magenta" className="child-tag">
          {t('child.category.distress')}
        </Tag>
      ) : null}
      {unsupported ? (
        <Tag color="red" className="child-tag">
          {t('child.category.unsupported')}
        </Tag>
      ) : null}
    </span>
  );
}
