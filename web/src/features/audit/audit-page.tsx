/**
 * The audit log read as a ledger (issue 12 point 12): what was done in words,
 * the child by name and village for those who may see him now (（范围外）
 * otherwise), details as labelled fields, a filter for every action (grouped)
 * and a range of days in China time, all in the URL; the same rows as xlsx.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Descriptions, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { AuditEntry } from '../../../../domain/api.js';
import { AUDIT_ACTION_GROUPS, auditActionLabel, auditGroupLabel, auditTargetLabel, chinaDateTime, describeAuditDetails, type AuditActionGroup } from '../../../../domain/audit/actions.js';
import { isRole } from '../../../../domain/roles.js';
import { downloadAudit, useAudit } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { PageHeader } from '../../shared/page-header.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { FilterBar } from '../../shared/filter-bar.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useLocale } from '../../shared/i18n/index.js';
import { useT } from './strings.js';
import { roleLabel } from '../../shared/i18n/labels.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayParam = (value: string | null) => (value && DAY.test(value) ? value : undefined);

function ActionTag({ action }: { action: string }) {
  const [locale] = useLocale();
  return <Tag color={action === 'auth.login_failed' || action === 'auth.locked' ? 'red' : 'blue'}>{auditActionLabel(action, locale)}</Tag>;
}

/** The child a row is about: name and village, or （范围外） for one the reader may not see now. */
function ChildCell({ entry }: { entry: AuditEntry }) {
  const t = useT();
  if (!entry.child) return <Typography.Text type="secondary">—</Typography.Text>;
  if (entry.child.name === null) return <Typography.Text type="secondary" data-testid="audit-child-hidden">{t('audit.outOfScope')}</Typography.Text>;
  return (
    <span className="audit-child" data-testid="audit-child">
      <Typography.Text>{entry.child.name}</Typography.Text>
      {entry.child.village ? <Typography.Text type="secondary"> · {entry.child.village}</Typography.Text> : null}
    </span>
  );
}

function ActorCell({ entry }: { entry: AuditEntry }) {
  const t = useT();
  if (!entry.actorUsername) return <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>;
  return (
    <span>
      {entry.actorUsername}
      {entry.actorRole && isRole(entry.actorRole) ? <Typography.Text type="secondary"> · {roleLabel(t, entry.actorRole)}</Typography.Text> : null}
    </span>
  );
}

/** The row's details as labelled fields, then where it came from. */
function AuditDetails({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const [locale] = useLocale();
  const fields = describeAuditDetails(entry.details, locale);
  return (
    <Descriptions size="small" column={1} bordered className="audit-details" data-testid="audit-details">
      {fields.map((field) => (
        <Descriptions.Item key={field.key} label={field.label}>
          <span className="audit-detail-value">{field.value}</span>
        </Descriptions.Item>
      ))}
      {entry.targetType ? (
        <Descriptions.Item label={t('audit.col.target')}>
          {auditTargetLabel(entry.targetType, locale)}
          {entry.targetId ? <Typography.Text type="secondary" className="audit-id"> {entry.targetId}</Typography.Text> : null}
        </Descriptions.Item>
      ) : null}
      <Descriptions.Item label={t('audit.col.region')}>{entry.regionCode ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('audit.col.ip')}>{entry.ip ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('audit.requestId')}>{entry.requestId ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('audit.seq')}>{entry.seq}</Descriptions.Item>
    </Descriptions>
  );
}

/** At phone width one card per row: when, who, what, about whom; the details one tap away. */
function AuditCard({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Card size="small" className="audit-card" data-testid="audit-card">
      <div className="audit-card-head">
        <ActionTag action={entry.action} />
        <Typography.Text type="secondary">{chinaDateTime(entry.at).slice(0, 16)}</Typography.Text>
      </div>
      <div>
        <ActorCell entry={entry} />
      </div>
      {entry.child ? (
        <div>
          <Typography.Text type="secondary">{t('audit.col.child')}：</Typography.Text>
          <ChildCell entry={entry} />
        </div>
      ) : null}
      <Button type="link" size="small" className="audit-card-more" onClick={() => setOpen(!open)}>
        {t(open ? 'audit.hideDetails' : 'audit.showDetails')}
      </Button>
      {open ? <AuditDetails entry={entry} /> : null}
    </Card>
  );
}

export function AuditPage() {
  const t = useT();
  const [locale] = useLocale();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [params, update] = useUrlParams();
  const fromDay = dayParam(params.get('from'));
  const toDay = dayParam(params.get('to'));
  const filters = {
    q: params.get('q') ?? undefined,
    action: params.get('action') ?? undefined,
    from: fromDay,
    to: toDay,
    page: positiveIntParam(params.get('page'), 1),
    pageSize: positiveIntParam(params.get('pageSize'), 20, 200),
  };
  const audit = useAudit(filters);
  const [exporting, setExporting] = useState(false);

  const range: [Dayjs | null, Dayjs | null] | null = fromDay || toDay ? [fromDay ? dayjs(fromDay) : null, toDay ? dayjs(toDay) : null] : null;
  const onExport = async () => {
    setExporting(true);
    try {
      await downloadAudit(filters);
      void message.success(t('audit.exported'));
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const columns: RecordColumn<AuditEntry>[] = [
    { title: t('audit.col.at'), dataIndex: 'at', render: (at: string) => chinaDateTime(at), width: 160 },
    { title: t('audit.col.actor'), key: 'actor', render: (_: unknown, entry) => <ActorCell entry={entry} /> },
    { title: t('audit.col.action'), dataIndex: 'action', render: (action: string) => <ActionTag action={action} /> },
    { title: t('audit.col.child'), key: 'child', render: (_: unknown, entry) => <ChildCell entry={entry} /> },
    {
      title: t('audit.details'),
      key: 'details',
      render: (_: unknown, entry) => {
        const fields = describeAuditDetails(entry.details, locale);
        return fields.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Typography.Text className="audit-details-summary" ellipsis={{ tooltip: true }}>
            {fields.map((f) => `${f.label}：${f.value}`).join('；')}
          </Typography.Text>
        );
      },
    },
    { title: t('audit.col.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
  ];


  return (
    <div className="audit-page">
      <PageHeader
        title={t('audit.title')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void onExport()} data-testid="audit-export">
            {t('audit.export')}
          </Button>
        }
      />
      <Card size="small">
        <FilterBar
          className="filter-bar audit-filters"
          filters={[
            { kind: 'search', placeholder: t('audit.searchPlaceholder') },
            {
              kind: 'custom',
              params: ['action'],
              node: (
                <Select<string>
                  className="filter-select audit-action-select"
                  data-testid="audit-action-filter"
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  popupMatchSelectWidth={false}
                  placeholder={t('audit.filter.action')}
                  value={filters.action}
                  onChange={(action) => update({ action, page: undefined })}
                  options={(Object.keys(AUDIT_ACTION_GROUPS) as AuditActionGroup[]).map((group) => ({
                    label: auditGroupLabel(group, locale),
                    title: group,
                    options: AUDIT_ACTION_GROUPS[group].map((action) => ({ value: action, label: auditActionLabel(action, locale) })),
                  }))}
                />
              ),
            },
            {
              kind: 'custom',
              params: ['from', 'to'],
              node: (
                <DatePicker.RangePicker
                  className="audit-range"
                  data-testid="audit-range"
                  allowEmpty={[true, true]}
                  value={range}
                  placeholder={[t('audit.filter.from'), t('audit.filter.to')]}
                  onChange={(dates) => update({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD'), page: undefined })}
                />
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" className="audit-note">
          {t('audit.note')}
        </Typography.Paragraph>
        <RecordTable<AuditEntry>
          testId="audit-table"
          cardsTestId="audit-list"
          columns={columns}
          query={audit}
          list={{ page: filters.page, pageSize: filters.pageSize, onPage: (page, pageSize) => update({ page, pageSize }) }}
          rowKey={(entry) => String(entry.seq)}
          showSizeChanger
          expandable={{ expandedRowRender: (entry) => <AuditDetails entry={entry} /> }}
          renderCard={(entry) => <AuditCard entry={entry} />}
          empty={t('audit.empty')}
        />
      </Card>
    </div>
  );
}
