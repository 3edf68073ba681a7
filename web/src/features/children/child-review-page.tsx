import { Badge, Card, Empty, Input, Table, Tabs, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ChildSummary } from '../../../../domain/children/schema.js';
import { useChildCount, useChildren } from './api.js';
import { ChildActions } from './child-actions.js';
import { CategoryTags } from './child-tags.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';

type ReviewTab = 'pending' | 'closing';

/** Registrations and closures that wait for the supervisor (or an administrator), oldest first. */
export function ChildReviewPage() {
  const t = useT();
  const [params, update] = useUrlParams();
  const tab: ReviewTab = params.get('tab') === 'closing' ? 'closing' : 'pending';
  const page = positiveIntParam(params.get('page'), 1);
  const q = params.get('q') ?? undefined;
  const list = useChildren({ q, status: tab, sort: 'updatedAt', page, pageSize: 20 });
  const [searchText, setSearchText] = useState(q ?? '');
  useEffect(() => setSearchText(q ?? ''), [q]);
  const pendingCount = useChildCount('pending', true);
  const closingCount = useChildCount('closing', true);

  const columns: TableColumnsType<ChildSummary> = [
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
      render: (_: unknown, child) => <CategoryTags leftBehind={child.leftBehind} distress={child.distress} unsupported={child.unsupported} />,
    },
    { title: t('childReview.submittedAt'), dataIndex: 'updatedAt', render: (at: string) => formatDateTime(at) },
    { title: t('common.actions'), key: 'actions', render: (_: unknown, child) => <ChildActions child={child} mode="review" /> },
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
          onChange={(key) => update({ tab: key === 'closing' ? 'closing' : undefined, page: undefined })}
          items={[
            { key: 'pending', label: label('childReview.tab.pending', pendingCount.data) },
            { key: 'closing', label: label('childReview.tab.closing', closingCount.data) },
          ]}
        />
        <div className="filter-bar">
          <Input.Search
            className="filter-search child-filter-search"
            placeholder={t('children.searchPlaceholder')}
            allowClear
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined, page: undefined })}
          />
        </div>
        {list.isError ? (
          <Empty description={list.error.message} />
        ) : (
          <Table<ChildSummary>
            data-testid="review-table"
            rowKey="id"
            size="small"
            loading={list.isFetching}
            columns={columns}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: list.isPending ? ' ' : <Empty description={t('childReview.empty')} /> }}
            onChange={(pagination) => update({ page: String(pagination.current ?? 1) })}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }) }}
          />
        )}
      </Card>
    </div>
  );
}
