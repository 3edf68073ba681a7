/**
 * Mandatory reports (强制报告): the form a director fills on a phone in under a
 * minute (big trigger checkboxes, discovery defaulting to now, police told
 * yes / no), the list of the scope with the late ones in red, and one report
 * with its police record, actions, feedback and closure. The police (who may
 * respond) get their own list and page: what awaits their acknowledgement
 * first, late in red; acknowledge, case number, outcome — no staff hints.
 */
import { AlertOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Result, Select, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { POLICE_METHODS, POLICE_OUTCOMES, chinaDateOf, outcomeNeedsNote, triggersFor, type PoliceMethod, type PoliceOutcome, type ReportTrigger } from '../../../../domain/reports/rules.js';
import type { ReportInput, ReportRecord, ReportRow } from '../../../../domain/reports/schema.js';
import { useChild } from '../children/api.js';
import { isApiError } from '../../shared/api/client.js';
import { isNetworkError, queueOffline } from '../../shared/offline/bridge.js';
import {
  useAcknowledgeReport,
  useAddReportEntry,
  useCloseReport,
  useCreateReport,
  useRecordCaseNo,
  useRecordOutcome,
  useRecordPolice,
  useReport,
  useReports,
  type ReportListFilters,
} from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { FilterBar, useListParams } from '../../shared/filter-bar.js';
import { ConfirmAction } from '../../shared/confirm-action.js';
import { StateTag } from '../../shared/state-tag.js';
import { useT, type Translate } from './strings.js';
import { chinaLocalInput, instantFromChinaLocal } from '../../../../domain/china-time.js';
import { personNameRule } from '../../shared/person-name-rule.js';

export const triggerLabel = (t: Translate, code: ReportTrigger) => t(`report.trigger.${code}`);
const methodLabel = (t: Translate, code: PoliceMethod) => t(`report.method.${code}`);

/** `datetime-local` value of an instant, in China time (the time the users read and type, whatever the browser's zone). */
const localInput = (d: Date = new Date()) => chinaLocalInput(d);
const toInstant = (local: string) => instantFromChinaLocal(local) ?? new Date(local).toISOString();

/** The discovery's day in China time, as the server judges the triggers by it (today while the field is empty or half typed). */
function discoveryDay(local: string | undefined): string {
  const instant = local ? instantFromChinaLocal(local) : null;
  return chinaDateOf(instant ?? new Date().toISOString());
}

/** "35 分钟" / "2 小时 5 分钟". */
export function minutesLabel(t: Translate, minutes: number): string {
  return minutes < 60 ? t('report.minutes', { n: minutes }) : t('report.hoursMinutes', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

const outcomeLabel = (t: Translate, code: PoliceOutcome) => t(`report.outcome.${code}`);

const STATUS_COLOURS: Record<ReportRow['status'], string> = { open: 'blue', closed: 'default' };
const statusOptions = (t: Translate) => (['open', 'closed'] as const).map((s) => ({ value: s, label: t(`report.status.${s}`) }));

function ReportStatusTag({ status, testId }: { status: ReportRow['status']; testId?: string }) {
  const t = useT();
  return <StateTag state={status} colours={STATUS_COLOURS} label={t(`report.status.${status}`)} testId={testId} />;
}

/** The police's side of a report: awaiting their acknowledgement (red when late), or received with the time. */
export function ReceiptState({ row }: { row: Pick<ReportRow, 'awaitingPolice' | 'policeLate' | 'policeReceivedAt' | 'status'> }) {
  const t = useT();
  if (row.policeLate) return <Tag color="red" data-testid="police-late-tag">{t('police.awaitingLate')}</Tag>;
  if (row.awaitingPolice) return <Tag color="orange" data-testid="police-awaiting-tag">{t('police.awaiting')}</Tag>;
  if (row.policeReceivedAt) return <Tag color="green">{`${t('police.received')} ${formatDateTime(row.policeReceivedAt)}`}</Tag>;
  return <Tag>{t('report.responseNone')}</Tag>;
}

/** Whether the signed-in user is the police (responds to reports), whose pages speak to them. */
const usePolice = () => useSession().permissions.includes('report.respond');

export function PoliceState({ row }: { row: Pick<ReportRow, 'late' | 'minutesToPolice' | 'status'> }) {
  const t = useT();
  if (row.late) return <Tag color="red" data-testid="report-late-tag">{t('report.late')}</Tag>;
  if (row.minutesToPolice !== null) return <Tag color={row.minutesToPolice > 60 ? 'orange' : 'green'}>{t('report.policeAfter', { time: minutesLabel(t, row.minutesToPolice) })}</Tag>;
  return <Tag>{t('report.policeNotYet')}</Tag>;
}

// ---------------------------------------------------------------- new report

interface FormValues {
  triggers: ReportTrigger[];
  discoveredAt: string;
  policeTold: 'yes' | 'no';
  policeAt?: string;
  policeMethod?: PoliceMethod;
  receiptNo?: string;
  reporterName: string;
  reporterPhone?: string;
  reporterUnit?: string;
  description?: string;
}

const FORM_FIELDS = ['triggers', 'discoveredAt', 'reporterName', 'reporterPhone', 'reporterUnit', 'description'] as const;

export function ReportNewPage() {
  const t = useT();
  const me = useSession();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const showError = useShowApiError();
  const { id: childId = '' } = useParams();
  // Made once per form: sending again (a lost signal, the outbox) records the report once.
  const [reportId] = useState(() => uuidv7());
  const [search] = useSearchParams();
  const visitId = search.get('visitId');
  const child = useChild(childId);
  const create = useCreateReport(childId);
  const [form] = Form.useForm<FormValues>();
  const policeTold = Form.useWatch('policeTold', form);
  const discoveredAt = Form.useWatch('discoveredAt', form);
  // Only the triggers that fit the child: no "girl under 14" for a boy, or for a girl of 14 on the day of the discovery.
  const offered = child.data ? triggersFor({ sex: child.data.sex, birthDate: child.data.birthDate }, discoveryDay(discoveredAt)) : [];
  const offeredKey = offered.join();
  useEffect(() => {
    // A changed discovery time can make a chosen trigger no longer fit: it is unticked.
    const chosen = (form.getFieldValue('triggers') as ReportTrigger[] | undefined) ?? [];
    const kept = chosen.filter((code) => offeredKey.split(',').includes(code));
    if (kept.length !== chosen.length) form.setFieldValue('triggers', kept);
  }, [form, offeredKey]);

  const submit = (v: FormValues) => {
    const input: ReportInput = {
      id: reportId,
      visitId: visitId ?? null,
      triggers: v.triggers,
      discoveredAt: toInstant(v.discoveredAt),
      reporterName: v.reporterName,
      reporterPhone: v.reporterPhone?.trim() || null,
      reporterUnit: v.reporterUnit?.trim() || null,
      description: v.description?.trim() || null,
      police: v.policeTold === 'yes' && v.policeAt && v.policeMethod ? { notifiedAt: toInstant(v.policeAt), method: v.policeMethod, receiptNo: v.receiptNo?.trim() || null } : null,
    };
    create.mutate(input, {
      onSuccess: (report) => {
        void message.success(t('report.created'));
        void navigate(`/reports/${report.id}`, { replace: true });
      },
      onError: (error) => {
        // No signal: the report waits in the outbox, and the page says plainly that the police must be called now.
        if (isNetworkError(error) && child.data) {
          const known = { childName: child.data.name, villageName: child.data.region.name, child: child.data };
          void queueOffline('report', childId, reportId, input, known).then((queued) => {
            if (!queued) {
              showError(error);
              return;
            }
            modal.error({ title: t('report.queuedTitle'), content: <span data-testid="report-queued">{t('report.queuedBody')}</span>, okText: t('report.queuedOk') });
            void navigate('/outbox', { replace: true });
          });
          return;
        }
        if (isApiError(error) && error.field?.startsWith('police.')) {
          const name = { 'police.notifiedAt': 'policeAt', 'police.method': 'policeMethod', 'police.receiptNo': 'receiptNo' }[error.field];
          if (name) {
            form.setFields([{ name: name as keyof FormValues, errors: [error.message] }]);
            return;
          }
        }
        showError(error, { instance: form, fields: FORM_FIELDS });
      },
    });
  };

  if (child.isError) return <Result status="404" title={t('childPage.notFound')} />;
  return (
    <div className="report-form-page">
      <PageHeader title={t('report.newTitle')}>
        <Typography.Text type="secondary" data-testid="report-child">
          {child.data ? `${child.data.name} · ${child.data.region.name}` : ' '}
        </Typography.Text>
      </PageHeader>
      <Alert type="warning" showIcon message={t('report.lawHint')} className="report-law-hint" />
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ triggers: [], discoveredAt: localInput(), policeTold: 'no', policeAt: localInput(), policeMethod: 'phone_110', reporterName: me.user.displayName }}
        data-testid="report-form"
      >
        <Card size="small" title={t('report.triggers')}>
          {child.data ? null : <Skeleton active paragraph={{ rows: 4 }} title={false} />}
          <Form.Item
            name="triggers"
            rules={[{ required: true, type: 'array', min: 1, message: t('report.triggersRequired') }]}
            className="report-triggers-item"
            extra={child.data ? t('report.triggersForChild') : null}
          >
            <Checkbox.Group className="report-triggers">
              {offered.map((code) => (
                <Checkbox key={code} value={code} className="report-trigger" data-testid={`report-trigger-${code}`}>
                  {triggerLabel(t, code)}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        </Card>
        <Card size="small">
          <Form.Item name="discoveredAt" label={t('report.discoveredAt')} rules={[{ required: true, message: t('report.required') }]}>
            <Input type="datetime-local" size="large" data-testid="report-discovered-at" />
          </Form.Item>
          <Form.Item name="policeTold" label={t('report.policeTold')}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" className="report-yes-no">
              <Radio value="yes" data-testid="report-police-yes">
                {t('report.policeYes')}
              </Radio>
              <Radio value="no" data-testid="report-police-no">
                {t('report.policeNo')}
              </Radio>
            </Radio.Group>
          </Form.Item>
          {policeTold === 'yes' ? (
            <>
              <Form.Item name="policeAt" label={t('report.policeAt')} rules={[{ required: true, message: t('report.required') }]}>
                <Input type="datetime-local" size="large" data-testid="report-police-at" />
              </Form.Item>
              <Form.Item name="policeMethod" label={t('report.policeMethod')} rules={[{ required: true, message: t('report.required') }]}>
                <Select size="large" options={POLICE_METHODS.map((m) => ({ value: m, label: methodLabel(t, m) }))} data-testid="report-police-method" />
              </Form.Item>
              <Form.Item name="receiptNo" label={t('report.receiptNo')}>
                <Input size="large" maxLength={60} data-testid="report-receipt" />
              </Form.Item>
            </>
          ) : (
            <Alert type="error" showIcon message={t('report.policeNowHint')} />
          )}
        </Card>
        <Card size="small">
          <Form.Item name="description" label={t('report.description')}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="report-description" />
          </Form.Item>
          <Form.Item name="reporterName" label={t('report.reporterName')} rules={[{ required: true, whitespace: true, message: t('report.required') }, personNameRule(t)]} extra={t('report.reporterConfidential')}>
            <Input size="large" maxLength={64} data-testid="report-reporter-name" />
          </Form.Item>
          <Form.Item name="reporterPhone" label={t('report.reporterPhone')}>
            <Input size="large" maxLength={30} inputMode="tel" />
          </Form.Item>
          <Form.Item name="reporterUnit" label={t('report.reporterUnit')}>
            <Input size="large" maxLength={100} />
          </Form.Item>
        </Card>
        <Button type="primary" danger htmlType="submit" size="large" block icon={<AlertOutlined />} loading={create.isPending} data-testid="report-submit">
          {t('report.submit')}
        </Button>
      </Form>
    </div>
  );
}

// ---------------------------------------------------------------- list

export function ReportsPage() {
  return usePolice() ? <PoliceReportsPage /> : <StaffReportsPage />;
}

function StaffReportsPage() {
  const t = useT();
  const list = useListParams();
  const { params } = list;
  const status = params.get('status');
  const late = params.get('late');
  const filters: ReportListFilters = {
    status: status === 'open' || status === 'closed' ? status : undefined,
    late: late === 'true' || late === 'false' ? late : undefined,
    region: undefined,
    sort: params.get('sort') === 'discovered_asc' ? 'discovered_asc' : 'discovered_desc',
    page: list.page,
    pageSize: list.pageSize,
  };
  const reports = useReports(filters);
  const columns: RecordColumn<ReportRow>[] = [
    { title: t('report.child'), key: 'child', render: (_, r) => <Link to={`/reports/${r.id}`}>{r.child.name}</Link> },
    { title: t('report.region'), key: 'region', render: (_, r) => r.region.name },
    { title: t('report.triggers'), key: 'triggers', render: (_, r) => r.triggers.map((c) => triggerLabel(t, c)).join('；') },
    { title: t('report.discoveredAt'), key: 'discoveredAt', render: (_, r) => formatDateTime(r.discoveredAt) },
    { title: t('report.police'), key: 'police', render: (_, r) => <PoliceState row={r} /> },
    { title: t('report.response'), key: 'response', render: (_, r) => <ResponseSummary row={r} /> },
    { title: t('report.status'), key: 'status', card: 'tag', render: (_, r) => <ReportStatusTag status={r.status} /> },
  ];
  return (
    <div className="reports-page">
      <PageHeader title={t('report.nav')} />
      <Card size="small">
        <FilterBar
          filters={[
            { kind: 'select', param: 'status', all: t('report.allStatuses'), options: statusOptions(t), style: { width: 120 }, testId: 'reports-status' },
            {
              kind: 'select',
              param: 'late',
              all: t('report.allPolice'),
              options: [
                { value: 'true', label: t('report.onlyLate') },
                { value: 'false', label: t('report.notLate') },
              ],
              style: { width: 150 },
              testId: 'reports-late',
            },
            {
              kind: 'select',
              param: 'sort',
              fallback: 'discovered_desc',
              options: [
                { value: 'discovered_desc', label: t('report.sortNewest') },
                { value: 'discovered_asc', label: t('report.sortOldest') },
              ],
              style: { width: 150 },
            },
          ]}
        />
        <RecordTable<ReportRow>
          testId="reports-table"
          columns={columns}
          query={reports}
          list={list}
          hrefOf={(r) => `/reports/${r.id}`}
          flaggedClass={(r) => (r.late ? 'report-row-late' : '')}
          empty={t('report.empty')}
        />
      </Card>
    </div>
  );
}

/** The police's case number and outcome, in a list cell ("—" while none). */
function ResponseSummary({ row }: { row: Pick<ReportRow, 'caseNo' | 'outcome' | 'policeReceivedAt'> }) {
  const t = useT();
  if (!row.policeReceivedAt) return <Typography.Text type="secondary">{t('report.responseNone')}</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <span>{row.caseNo ?? '—'}</span>
      {row.outcome ? <span>{outcomeLabel(t, row.outcome)}</span> : null}
    </Space>
  );
}

/**
 * The police's list: reports of their area, those awaiting their
 * acknowledgement first (the longest waiting at the top), red when more than
 * an hour has passed since the discovery; then the rest, newest first.
 */
function PoliceReportsPage() {
  const t = useT();
  const list = useListParams();
  const { params } = list;
  const status = params.get('status');
  const awaiting = params.get('awaiting');
  const filters: ReportListFilters = {
    status: status === 'open' || status === 'closed' ? status : undefined,
    late: undefined,
    awaitingPolice: awaiting === 'true' || awaiting === 'false' ? awaiting : undefined,
    region: undefined,
    sort: 'police_queue',
    page: list.page,
    pageSize: list.pageSize,
  };
  const reports = useReports(filters);
  const columns: RecordColumn<ReportRow>[] = [
    { title: t('police.child'), key: 'child', render: (_, r) => <Link to={`/reports/${r.id}`}>{r.child.name}</Link> },
    { title: t('police.receipt'), key: 'receipt', render: (_, r) => <ReceiptState row={r} /> },
    { title: t('report.discoveredAt'), key: 'discoveredAt', render: (_, r) => formatDateTime(r.discoveredAt) },
    { title: t('police.region'), key: 'region', render: (_, r) => r.region.name },
    { title: t('report.triggers'), key: 'triggers', render: (_, r) => r.triggers.map((c) => triggerLabel(t, c)).join('；') },
    { title: t('police.caseNo'), key: 'caseNo', render: (_, r) => r.caseNo ?? '—' },
    { title: t('police.outcome'), key: 'outcome', render: (_, r) => (r.outcome ? outcomeLabel(t, r.outcome) : '—') },
    { title: t('report.status'), key: 'status', card: 'tag', render: (_, r) => <ReportStatusTag status={r.status} /> },
  ];
  return (
    <div className="reports-page police-reports-page">
      <PageHeader title={t('report.nav')}>
        <Typography.Text type="secondary">{t('police.queueTitle')}</Typography.Text>
      </PageHeader>
      <Card size="small">
        <FilterBar
          filters={[
            {
              kind: 'select',
              param: 'awaiting',
              all: t('police.allReports'),
              options: [
                { value: 'true', label: t('police.onlyAwaiting') },
                { value: 'false', label: t('police.onlyReceived') },
              ],
              style: { width: 150 },
              testId: 'police-awaiting-filter',
            },
            { kind: 'select', param: 'status', all: t('report.allStatuses'), options: statusOptions(t), style: { width: 120 } },
          ]}
        />
        <RecordTable<ReportRow>
          testId="reports-table"
          columns={columns}
          query={reports}
          list={list}
          hrefOf={(r) => `/reports/${r.id}`}
          flaggedClass={(r) => (r.policeLate ? 'report-row-late' : r.awaitingPolice ? 'report-row-awaiting' : '')}
          empty={t('police.empty')}
        />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------- one report

function PoliceForm({ report }: { report: ReportRecord }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const record = useRecordPolice(report.id);
  const [form] = Form.useForm<{ notifiedAt: string; method: PoliceMethod; receiptNo?: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ notifiedAt: localInput(), method: 'phone_110' }}
      onFinish={(v) =>
        record.mutate(
          { notifiedAt: toInstant(v.notifiedAt), method: v.method, receiptNo: v.receiptNo?.trim() || null, version: report.version },
          { onSuccess: () => void message.success(t('report.policeRecorded')), onError: (e) => showError(e, { instance: form, fields: ['notifiedAt', 'method', 'receiptNo'] }) },
        )
      }
      data-testid="police-form"
    >
      <Form.Item name="notifiedAt" label={t('report.policeAt')} rules={[{ required: true, message: t('report.required') }]}>
        <Input type="datetime-local" size="large" data-testid="police-at" />
      </Form.Item>
      <Form.Item name="method" label={t('report.policeMethod')}>
        <Select size="large" options={POLICE_METHODS.map((m) => ({ value: m, label: methodLabel(t, m) }))} />
      </Form.Item>
      <Form.Item name="receiptNo" label={t('report.receiptNo')}>
        <Input size="large" maxLength={60} data-testid="police-receipt" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={record.isPending} data-testid="police-submit">
        {t('report.recordPolice')}
      </Button>
    </Form>
  );
}

function EntryForm({ report }: { report: ReportRecord }) {
  const t = useT();
  const showError = useShowApiError();
  const add = useAddReportEntry(report.id);
  const [form] = Form.useForm<{ kind: 'action' | 'feedback'; note: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ kind: 'action' }}
      onFinish={(v) => add.mutate({ kind: v.kind, note: v.note, version: report.version }, { onSuccess: () => form.resetFields(['note']), onError: (e) => showError(e, { instance: form, fields: ['note'] }) })}
    >
      <Form.Item name="kind">
        <Radio.Group optionType="button" buttonStyle="solid">
          <Radio value="action">{t('report.entry.action')}</Radio>
          <Radio value="feedback">{t('report.entry.feedback')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="note" rules={[{ required: true, whitespace: true, message: t('report.required') }]}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="entry-note" />
      </Form.Item>
      <Button htmlType="submit" loading={add.isPending} data-testid="entry-submit">
        {t('report.addEntry')}
      </Button>
    </Form>
  );
}

function CloseButton({ report }: { report: ReportRecord }) {
  const t = useT();
  const close = useCloseReport(report.id);
  return (
    <ConfirmAction<{ note: string }>
      label={t('report.close')}
      testId="report-close"
      danger
      title={t('report.closeTitle')}
      okText={t('report.closeConfirm')}
      fields={
        <Form.Item name="note" label={t('report.closureNote')} rules={[{ required: true, whitespace: true, message: t('report.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="report-close-note" />
        </Form.Item>
      }
      run={(v) => close.mutateAsync({ note: v.note, version: report.version })}
      done={t('report.closed')}
      errorFields={['note']}
    />
  );
}

// ---------------------------------------------------------------- the police's own record

function AcknowledgeForm({ report }: { report: ReportRecord }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const acknowledge = useAcknowledgeReport(report.id);
  const [form] = Form.useForm<{ receivedAt: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ receivedAt: localInput() }}
      onFinish={(v) =>
        acknowledge.mutate(
          { receivedAt: toInstant(v.receivedAt), version: report.version },
          { onSuccess: () => void message.success(t('police.acknowledged')), onError: (e) => showError(e, { instance: form, fields: ['receivedAt'] }) },
        )
      }
      data-testid="acknowledge-form"
    >
      <Form.Item name="receivedAt" label={t('police.receivedAt')} rules={[{ required: true, message: t('police.required') }]}>
        <Input type="datetime-local" size="large" data-testid="acknowledge-at" />
      </Form.Item>
      <Button type="primary" danger={report.policeLate} htmlType="submit" size="large" block loading={acknowledge.isPending} data-testid="acknowledge-submit">
        {t('police.acknowledge')}
      </Button>
    </Form>
  );
}

function CaseNoForm({ report }: { report: ReportRecord }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const record = useRecordCaseNo(report.id);
  const [form] = Form.useForm<{ caseNo: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) =>
        record.mutate(
          { caseNo: v.caseNo, version: report.version },
          {
            onSuccess: () => {
              void message.success(t('police.caseNoSaved'));
              form.resetFields();
            },
            onError: (e) => showError(e, { instance: form, fields: ['caseNo'] }),
          },
        )
      }
      data-testid="case-no-form"
    >
      <Form.Item name="caseNo" label={t('police.caseNoTitle')} rules={[{ required: true, whitespace: true, message: t('police.required') }]} extra={report.response.caseNo ? t('police.replaceHint') : null}>
        <Input size="large" maxLength={60} placeholder={t('police.caseNoPlaceholder')} data-testid="case-no-input" />
      </Form.Item>
      <Button htmlType="submit" size="large" block loading={record.isPending} data-testid="case-no-submit">
        {t('police.caseNoSave')}
      </Button>
    </Form>
  );
}

function OutcomeForm({ report }: { report: ReportRecord }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const record = useRecordOutcome(report.id);
  const [form] = Form.useForm<{ outcome: PoliceOutcome; note?: string }>();
  const outcome = Form.useWatch('outcome', form);
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) =>
        record.mutate(
          { outcome: v.outcome, note: v.note?.trim() || null, version: report.version },
          {
            onSuccess: () => {
              void message.success(t('police.outcomeSaved'));
              form.resetFields();
            },
            onError: (e) => showError(e, { instance: form, fields: ['outcome', 'note'] }),
          },
        )
      }
      data-testid="outcome-form"
    >
      <Form.Item name="outcome" label={t('police.outcomeTitle')} rules={[{ required: true, message: t('police.required') }]} extra={report.response.outcome ? t('police.replaceHint') : null}>
        <Radio.Group className="police-outcomes">
          <Space direction="vertical">
            {POLICE_OUTCOMES.map((o) => (
              <Radio key={o} value={o} data-testid={`outcome-${o}`}>
                {outcomeLabel(t, o)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="note"
        label={t('police.outcomeNote')}
        rules={outcome && outcomeNeedsNote(outcome) ? [{ required: true, whitespace: true, message: t('police.outcomeNoteRequired') }] : []}
      >
        <Input.TextArea rows={2} maxLength={2000} data-testid="outcome-note" />
      </Form.Item>
      <Button htmlType="submit" size="large" block loading={record.isPending} data-testid="outcome-submit">
        {t('police.outcomeSave')}
      </Button>
    </Form>
  );
}

/** What the police recorded, for everyone who reads the report. */
function ResponseFacts({ report }: { report: ReportRecord }) {
  const t = useT();
  const r = report.response;
  if (!r.receivedAt) return <span data-testid="report-response">{t('report.responseNone')}</span>;
  return (
    <Space direction="vertical" size={2} data-testid="report-response">
      <span>{t('report.responseReceived', { at: formatDateTime(r.receivedAt), by: r.receivedBy ?? '' })}</span>
      {r.caseNo ? <span>{t('report.responseCaseNo', { no: r.caseNo })}</span> : null}
      {r.outcome ? <span>{t('report.responseOutcome', { outcome: outcomeLabel(t, r.outcome) })}</span> : null}
      {r.outcomeNote ? <Typography.Text type="secondary">{r.outcomeNote}</Typography.Text> : null}
    </Space>
  );
}

/** One entry of the trail: what happened, when, by whom; the police's receipt shows its time, an outcome its label. */
function EntryText({ e }: { e: ReportRecord['entries'][number] }) {
  const t = useT();
  const detail = e.kind === 'received' && e.detail ? t('report.receivedAtValue', { at: formatDateTime(e.detail) }) : e.kind === 'outcome' && e.detail ? outcomeLabel(t, e.detail as PoliceOutcome) : null;
  return (
    <div data-testid="report-entry" data-kind={e.kind}>
      <Typography.Text strong>{t(`report.entry.${e.kind}`)}</Typography.Text>{' '}
      <Typography.Text type="secondary">
        {formatDateTime(e.at)} · {e.actor ?? ''}
      </Typography.Text>
      {detail ? <div>{detail}</div> : null}
      {e.note ? <div>{e.note}</div> : null}
    </div>
  );
}

export function ReportPage() {
  const t = useT();
  const { id = '' } = useParams();
  const report = useReport(id);
  // The police read reports without access to the child's file: the name, not a link.
  const readsFiles = useSession().permissions.includes('child.read');
  const police = usePolice();
  if (report.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (report.isError) return <Result status={isApiError(report.error) && report.error.status === 404 ? '404' : 'warning'} title={t('report.notFound')} subTitle={report.error.message} />;
  const r = report.data;
  return (
    <div className="report-page">
      <PageHeader title={t('report.title', { name: r.child.name })} extra={r.can.close ? <CloseButton report={r} /> : null} />
      {/* The staff's alert tells a director to call the police; the police are told what awaits them. */}
      {!police && r.late ? <Alert type="error" showIcon message={t('report.lateAlert')} className="report-late-alert" data-testid="report-late-alert" /> : null}
      {police && r.awaitingPolice ? (
        <Alert type={r.policeLate ? 'error' : 'warning'} showIcon message={t(r.policeLate ? 'police.alertLate' : 'police.alertAwaiting')} className="report-late-alert" data-testid="police-alert" />
      ) : null}
      {r.can.acknowledge ? (
        <Card size="small" title={t('police.acknowledgeTitle')}>
          <AcknowledgeForm report={r} />
        </Card>
      ) : null}
      <Card size="small">
        <Descriptions column={1} size="small" data-testid="report-facts">
          <Descriptions.Item label={t('report.child')}>
            {readsFiles ? <Link to={`/children/${r.child.id}`}>{r.child.name}</Link> : r.child.name} · {r.region.name}
          </Descriptions.Item>
          <Descriptions.Item label={t('report.status')}>
            <ReportStatusTag status={r.status} testId="report-status" />
          </Descriptions.Item>
          <Descriptions.Item label={t('report.triggers')}>
            <Space direction="vertical" size={2}>
              {r.triggers.map((c) => (
                <span key={c}>{triggerLabel(t, c)}</span>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('report.discoveredAt')}>{formatDateTime(r.discoveredAt)}</Descriptions.Item>
          <Descriptions.Item label={t('report.response')}>
            <ResponseFacts report={r} />
          </Descriptions.Item>
          {/* How the staff told the police: for the police themselves, only when it was recorded. */}
          {police && !r.police ? null : (
            <Descriptions.Item label={t('report.police')}>
              <Space direction="vertical" size={2} data-testid="report-police">
                {police ? null : <PoliceState row={r} />}
                {r.police ? (
                  <>
                    <span>{`${formatDateTime(r.police.notifiedAt)} · ${methodLabel(t, r.police.method)}`}</span>
                    <span>{t('report.receiptNoValue', { no: r.police.receiptNo ?? '—' })}</span>
                  </>
                ) : null}
              </Space>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('report.reporter')}>
            <span data-testid="report-reporter">{r.reporter ? [r.reporter.name, r.reporter.phone, r.reporter.unit].filter(Boolean).join(' · ') : t('report.reporterHidden')}</span>
          </Descriptions.Item>
          {r.description ? <Descriptions.Item label={t('report.description')}>{r.description}</Descriptions.Item> : null}
          {r.closureNote ? <Descriptions.Item label={t('report.closureNote')}>{r.closureNote}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      {r.can.police ? (
        <Card size="small" title={t('report.recordPolice')}>
          <PoliceForm report={r} />
        </Card>
      ) : null}
      {r.can.caseNo ? (
        <Card size="small" title={t('police.caseNoTitle')}>
          <CaseNoForm report={r} />
        </Card>
      ) : null}
      {r.can.outcome ? (
        <Card size="small" title={t('police.outcomeTitle')}>
          <OutcomeForm report={r} />
        </Card>
      ) : null}
      <Card size="small" title={t('report.entries')}>
        <Timeline
          data-testid="report-entries"
          items={[...r.entries].reverse().map((e, i) => ({
            key: i,
            color: e.kind === 'closed' ? 'gray' : e.kind === 'police' || e.kind === 'received' || e.kind === 'case_no' || e.kind === 'outcome' ? 'green' : 'blue',
            children: <EntryText e={e} />,
          }))}
        />
        {r.can.addEntry ? <EntryForm report={r} /> : null}
      </Card>
    </div>
  );
}
