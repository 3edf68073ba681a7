import { Card, DatePicker, Descriptions, Empty, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../domain/api.js';
import { useAudit } from '../api/audit.js';
import { formatDateTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { positiveIntParam, useUrlParams } from '../components/url-params.js';
import { useT } from '../i18n/index.js';
import { KNOWN_AUDIT_ACTIONS, auditActionLabel } from '../i18n/labels.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar day as the UTC instant where it starts (from) or the next day starts (to, exclusive end). */
function dayBoundary(day: string | undefined, end: boolean): string | undefined {
  if (!day || !DAY.test(day)) return undefined;
  const start = dayjs(day).startOf('day');
  return (end ? start.add(1, 'day') : start).toISOString();
}

function AuditDetails({ entry }: { entry: AuditEntry }) {
  const t = useT();
  return (
    <Descriptions size="small" column={1} bordered className="audit-details">
      <Descriptions.Item label={t('audit.seq')}>{entry.seq}</Descriptions.Item>
      <Descriptions.Item label={t('audit.requestId')}>{entry.requestId ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('audit.col.target')}>
        {entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('audit.details')}>
        {entry.details && Object.keys(entry.details).length > 0 ? (
          <pre className="audit-json">{JSON.stringify(entry.details, null, 2)}</pre>
        ) : (
          <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

export function AuditPage() {
  const t = useT();
  const [params, update] = useUrlParams();
  const fromDay = params.get('from') ?? undefined;
  const toDay = params.get('to') ?? undefined;
  const filters = {
    q: params.get('q') ?? undefined,
    action: params.get('action') ?? undefined,
    from: dayBoundary(fromDay, false),
    to: dayBoundary(toDay, true),
    page: positiveIntParam(params.get('page'), 1),
    pageSize: positiveIntParam(params.get('pageSize'), 20, 200),
  };
  const audit = useAudit(filters);
  const [searchText, setSearchText] = useState(filters.q ?? '');
  // Back/forward changes the URL: the search box follows it.
  useEffect(() => setSearchText(filters.q ?? ''), [filters.q]);

  const range: [Dayjs, Dayjs] | null = fromDay && toDay && DAY.test(fromDay) && DAY.test(toDay) ? [dayjs(fromDay), dayjs(toDay)] : null;

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.col.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at), width: 150 },
    {
      title: t('audit.col.actor'),
      key: 'actor',
      render: (_: unknown, entry) => entry.actorUsername ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      render: (action: string) => <Tag color={action.endsWith('failed') ? 'red' : 'blue'}>{auditActionLabel(t, action)}</Tag>,
    },
    {
      title: t('audit.col.target'),
      key: 'target',
      render: (_: unknown, entry) => (entry.targetType ? `${entry.targetType}${entry.targetId ? ` · ${entry.targetId.slice(0, 12)}` : ''}` : '—'),
    },
    { title: t('audit.col.region'), dataIndex: 'regionCode', render: (code: string | null) => code ?? '—' },
    { title: t('audit.col.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
  ];

  return (
    <div>
      <PageHeader title={t('audit.title')} />
      <Card size="small">
        <div className="filter-bar">
          <Input.Search
            className="filter-search"
            allowClear
            placeholder={t('audit.searchPlaceholder')}
            value={searchText}
            onChange={(event) => setSearchText(event.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined, page: undefined })}
          />
          <Select<string>
            className="filter-select"
            allowClear
            showSearch
            placeholder={t('audit.filter.action')}
            value={filters.action}
            onChange={(action) => update({ action, page: undefined })}
            options={KNOWN_AUDIT_ACTIONS.map((action) => ({ value: action, label: auditActionLabel(t, action) }))}
          />
          <DatePicker.RangePicker
            value={range}
            onChange={(dates) =>
              update({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD'), page: undefined })
            }
          />
        </div>
        {audit.isError ? (
          <Empty description={audit.error.message} />
        ) : (
          <Table<AuditEntry>
            rowKey="seq"
            size="small"
            data-testid="audit-table"
            loading={audit.isFetching}
            columns={columns}
            dataSource={audit.data?.items ?? []}
            expandable={{ expandedRowRender: (entry) => <AuditDetails entry={entry} /> }}
            scroll={{ x: 'max-content' }}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: audit.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => update({ page: String(page), pageSize: String(pageSize) }),
            }}
          />
        )}
      </Card>
    </div>
  );
}
