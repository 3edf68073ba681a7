import { Badge, Card, Tabs } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ChildSummary } from '../../../../domain/children/schema.js';
import { useChildCount, useChildren, type ChildTransition } from './api.js';
import { ChildActions, DecisionModal } from './child-actions.js';
import { CategoryTags } from './child-tags.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { FilterBar, useListParams } from '../../shared/filter-bar.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';

type ReviewTab = 'pending' | 'closing';

/** Registrations and closures that wait for the supervisor (or an administrator), oldest first. */
export function ChildReviewPage() {
  const t = useT();
  const list = useListParams();
  const tab: ReviewTab = list.params.get('tab') === 'closing' ? 'closing' : 'pending';
  const q = list.params.get('q') ?? undefined;
  const children = useChildren({ q, status: tab, sort: 'updatedAt', page: list.page, pageSize: list.pageSize });
  const [deciding, setDeciding] = useState<{ child: ChildSummary; action: ChildTransition } | null>(null);
  const pendingCount = useChildCount('pending', true);
  const closingCount = useChildCount('closing', true);

  const columns: RecordColumn<ChildSummary>[] = [
    {
      title: t('children.col.name'),
      dataIndex: 'name',
      render: (name: string, child) => (
        <Link to={`/children/${child.id}`} data-testid="child-link">
          {name}
        </Link>
      ),
    },
    {
      title: `${t('children.col.sex')} / ${t('children.col.age')}`,
      key: 'sexAge',
      render: (_: unknown, child) => `${enumLabel(t, 'sex', child.sex)} · ${t('child.ageYears', { age: child.age })}`,
    },
    { title: t('children.col.village'), key: 'village', render: (_: unknown, child) => child.region.name },
    { title: t('children.col.idNumber'), dataIndex: 'idNumberMasked', render: (masked: string | null) => masked ?? '—' },
    {
      title: t('children.col.categories'),
      key: 'categories',
      card: 'tag',
      render: (_: unknown, child) => <CategoryTags leftBehind={child.leftBehind} distress={child.distress} unsupported={child.unsupported} />,
    },
    { title: t('childReview.submittedAt'), dataIndex: 'updatedAt', render: (at: string) => formatDateTime(at) },
    { title: t('common.actions'), key: 'actions', render: (_: unknown, child) => <ChildActions child={child} mode="review" onDecide={(action) => setDeciding({ child, action })} /> },
  ];

  const label = (key: 'childReview.tab.pending' | 'childReview.tab.closing', count: number | undefined) => (
    <span>
      {t(key)} <Badge count={count ?? 0} showZero={false} size="small" />
    </span>
  );

  return (
    <div>
      <PageHeader title={t('childReview.title')} />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => list.filter({ tab: key === 'closing' ? 'closing' : undefined })}
          items={[
            { key: 'pending', label: label('childReview.tab.pending', pendingCount.data) },
            { key: 'closing', label: label('childReview.tab.closing', closingCount.data) },
          ]}
        />
        <FilterBar filters={[{ kind: 'search', placeholder: t('children.searchPlaceholder'), className: 'filter-search child-filter-search' }]} />
        <RecordTable<ChildSummary>
          testId="review-table"
          columns={columns}
          query={children}
          list={list}
          empty={t('childReview.empty')}
        />
      </Card>
      {deciding ? <DecisionModal child={deciding.child} action={deciding.action} onClose={() => setDeciding(null)} /> : null}
    </div>
  );
}
