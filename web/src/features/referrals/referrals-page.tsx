/**
 * Referrals (转介), staff side: the send form a director fills on a phone
 * (organisation by kind, reason, urgency as big buttons, optional acceptance
 * deadline, whether the caregiver's contacts go along), the list of the scope
 * with overdue ones highlighted, and one referral with its trail and 撤回.
 */
import { FileImageOutlined, FilePdfOutlined, PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, List, Radio, Result, Select, Skeleton, Space, Switch, Tag, Timeline, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { DEFAULT_ACCEPT_HOURS, MAX_ATTACHMENT_BYTES, MAX_REFERRAL_ATTACHMENTS, RECEIVING_KINDS, REFERRAL_STATES, REFERRAL_URGENCIES, type ReferralState, type ReferralUrgency } from '../../../../domain/referrals/rules.js';
import type { ReferralAttachment, ReferralEvent, ReferralInput, ReferralRecord, ReferralRow, ReferralWork } from '../../../../domain/referrals/schema.js';
import { useChild } from '../children/api.js';
import { isApiError } from '../../shared/api/client.js';
import { downloadAttachment, uploadReferralAttachment, useAttachToReferral, useCreateReferral, useReferral, useReferralOrganisations, useReferrals, useWithdrawReferral, type ReferralListFilters } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { FilterBar, useListParams } from '../../shared/filter-bar.js';
import { ConfirmAction } from '../../shared/confirm-action.js';
import { StateTag } from '../../shared/state-tag.js';
import { useT, type Translate } from './strings.js';
import { instantFromChinaLocal } from '../../../../domain/china-time.js';

export const STATE_COLOURS: Record<ReferralState, string> = { sent: 'blue', accepted: 'cyan', declined: 'volcano', in_service: 'geekblue', completed: 'green', withdrawn: 'default' };

export function ReferralStateTag({ state, testId }: { state: ReferralState; testId?: string }) {
  const t = useT();
  return <StateTag state={state} colours={STATE_COLOURS} label={t(`referral.state.${state}`)} testId={testId} />;
}

export function UrgencyTag({ urgency }: { urgency: ReferralUrgency }) {
  const t = useT();
  return <Tag color={urgency === 'emergency' ? 'red' : urgency === 'urgent' ? 'orange' : 'default'}>{t(`referral.urgency.${urgency}`)}</Tag>;
}

/** What a work entry says in one line: "个别辅导 · 50 分钟", "电话联系 · 奶奶". */
function workSummary(t: Translate, w: ReferralWork): string {
  switch (w.kind) {
    case 'session':
      return [w.sessionKind ? t(`referral.sessionKind.${w.sessionKind}`) : null, w.durationMinutes ? t('referral.minutes', { n: w.durationMinutes }) : null].filter(Boolean).join(' · ');
    case 'contact':
      return [w.method ? t(`referral.contactMethod.${w.method}`) : null, w.withWhom].filter(Boolean).join(' · ');
    case 'note':
      return '';
  }
}

/**
 * The trail, newest first: the transitions, and the sessions, contacts and
 * notes the organisation recorded while serving (by when they were recorded;
 * each shows the day it happened).
 */
export function ReferralTrail({ events, work = [], testId }: { events: ReferralEvent[]; work?: ReferralWork[]; testId: string }) {
  const t = useT();
  const items = [
    ...events.map((e) => ({ at: e.at, node: 'event' as const, e })),
    ...work.map((w) => ({ at: w.at, node: 'work' as const, w })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.node === b.node ? 0 : a.node === 'work' ? -1 : 1));
  return (
    <Timeline
      data-testid={testId}
      items={items.map((item, i) => {
        if (item.node === 'work') {
          const w = item.w;
          const summary = workSummary(t, w);
          return {
            key: `w${i}`,
            color: 'purple',
            children: (
              <div data-testid="trail-work" data-kind={w.kind}>
                <Typography.Text strong>{t(`referral.work.${w.kind}`)}</Typography.Text>
                {summary ? <Typography.Text>{` ${summary}`}</Typography.Text> : null}{' '}
                <Typography.Text type="secondary">
                  {w.date}
                  {w.actor ? ` · ${w.actor}` : ''}
                </Typography.Text>
                {w.note ? <div className="referral-work-note">{w.note}</div> : null}
              </div>
            ),
          };
        }
        const e = item.e;
        return {
          key: `e${i}`,
          color: e.to === 'declined' || e.to === 'withdrawn' ? 'gray' : e.to === 'completed' ? 'green' : 'blue',
          children: (
            <div>
              <Typography.Text strong>{t(`referral.action.${e.action}`)}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {formatDateTime(e.at)}
                {e.actor ? ` · ${e.actor}` : ''}
              </Typography.Text>
              {e.note ? <div>{e.note}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}

/** "服务 3 次，共 150 分钟；联系 2 次": the work at a glance, above the trail. */
export function WorkTotals({ work }: { work: ReferralWork[] }) {
  const t = useT();
  if (work.length === 0) return null;
  const sessions = work.filter((w) => w.kind === 'session');
  return (
    <Typography.Paragraph type="secondary" data-testid="referral-work-totals">
      {t('referral.workCount', { sessions: sessions.length, minutes: sessions.reduce((n, w) => n + (w.durationMinutes ?? 0), 0), contacts: work.filter((w) => w.kind === 'contact').length })}
    </Typography.Paragraph>
  );
}

// ---------------------------------------------------------------- attachments

/** What the attach controls accept; the server checks the content again (and names the field when it refuses). */
const ATTACHMENT_ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.pdf';

const sizeLabel = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** A file chosen on the phone that is plainly too big is refused before it is sent. */
function tooBig(t: Translate, file: File, onRefuse: (text: string) => void): boolean {
  if (file.size <= MAX_ATTACHMENT_BYTES) return false;
  onRefuse(t('referral.attachmentTooBig', { name: file.name }));
  return true;
}

/** The files attached to a referral, each downloaded through the side reading it (the inbox's downloads are audited). */
export function ReferralAttachmentList({ attachments, testId }: { attachments: ReferralAttachment[]; testId: string }) {
  const t = useT();
  const showError = useShowApiError();
  if (attachments.length === 0) return <Typography.Text type="secondary">{t('referral.noAttachments')}</Typography.Text>;
  return (
    <List
      size="small"
      data-testid={testId}
      dataSource={attachments}
      renderItem={(a) => (
        <List.Item key={a.id} data-testid="referral-attachment">
          <Space direction="vertical" size={0}>
            <Button type="link" icon={a.mime === 'application/pdf' ? <FilePdfOutlined /> : <FileImageOutlined />} onClick={() => downloadAttachment(a).catch((e: unknown) => showError(e))} className="referral-attachment-link">
              {a.name}
            </Button>
            <Typography.Text type="secondary">{`${sizeLabel(a.size)} · ${formatDateTime(a.uploadedAt)}`}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** Staff add a file to an open referral. */
function AttachButton({ referralId, full }: { referralId: string; full: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const attach = useAttachToReferral(referralId);
  return (
    <Upload
      accept={ATTACHMENT_ACCEPT}
      showUploadList={false}
      disabled={full || attach.isPending}
      beforeUpload={(file) => {
        if (!tooBig(t, file, (text) => void message.error(text))) {
          attach.mutate(file, { onSuccess: (a) => void message.success(t('referral.attached', { name: a.name })), onError: (e) => showError(e) });
        }
        return false;
      }}
    >
      <Button icon={<PaperClipOutlined />} loading={attach.isPending} disabled={full} data-testid="referral-attach">
        {t('referral.attach')}
      </Button>
    </Upload>
  );
}

const hoursLabel = (t: Translate, hours: number) => (hours % 24 === 0 ? t('referral.days', { n: hours / 24 }) : t('referral.hours', { n: hours }));

// ---------------------------------------------------------------- new referral

interface FormValues {
  toOrganisationId: string;
  reason: string;
  urgency: ReferralUrgency;
  acceptBy?: string;
  shareContacts: boolean;
}

export function ReferralNewPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const { id: childId = '' } = useParams();
  const [search] = useSearchParams();
  const visitId = search.get('visitId');
  const preselected = search.get('organisationId');
  const child = useChild(childId);
  const organisations = useReferralOrganisations(childId);
  const create = useCreateReferral(childId);
  const [form] = Form.useForm<FormValues>();
  const urgency = Form.useWatch('urgency', form) ?? 'normal';
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [uploading, setUploading] = useState(false);

  const items = organisations.data?.items ?? [];
  const options = RECEIVING_KINDS.map((kind) => ({
    label: t(`orgKind.${kind}`),
    title: kind,
    options: items.filter((o) => o.kind === kind).map((o) => ({ value: o.id, label: `${o.name}（${o.regionName}）` })),
  })).filter((group) => group.options.length > 0);

  /** The referral exists now; its files follow one by one. One refused is said (the message names the field), the others still go. */
  const sendFiles = async (referralId: string) => {
    setUploading(true);
    for (const f of files) {
      if (!f.originFileObj) continue;
      try {
        await uploadReferralAttachment(referralId, f.originFileObj);
      } catch (error) {
        showError(error);
      }
    }
    setUploading(false);
  };

  const submit = (v: FormValues) => {
    const input: ReferralInput = {
      toOrganisationId: v.toOrganisationId,
      reason: v.reason,
      urgency: v.urgency,
      acceptBy: v.acceptBy ? (instantFromChinaLocal(v.acceptBy) ?? new Date(v.acceptBy).toISOString()) : null,
      shareContacts: v.shareContacts,
      visitId: visitId ?? null,
    };
    create.mutate(input, {
      onSuccess: (referral) => {
        void message.success(t('referral.created'));
        void sendFiles(referral.id).then(() => navigate(`/referrals/${referral.id}`, { replace: true }));
      },
      onError: (error) => showError(error, { instance: form, fields: ['toOrganisationId', 'reason', 'urgency', 'acceptBy', 'shareContacts'] }),
    });
  };

  if (child.isError) return <Result status="404" title={t('childPage.notFound')} />;
  return (
    <div className="referral-form-page">
      <PageHeader title={t('referral.newTitle')}>
        <Typography.Text type="secondary" data-testid="referral-child">
          {child.data ? `${child.data.name} · ${child.data.region.name}` : ' '}
        </Typography.Text>
      </PageHeader>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ urgency: 'normal', shareContacts: false, toOrganisationId: preselected ?? undefined }}
        data-testid="referral-form"
      >
        <Card size="small">
          <Form.Item name="toOrganisationId" label={t('referral.organisation')} rules={[{ required: true, message: t('referral.required') }]} extra={organisations.isSuccess && items.length === 0 ? t('referral.noOrganisations') : null}>
            <Select
              size="large"
              showSearch
              optionFilterProp="label"
              loading={organisations.isPending}
              placeholder={t('referral.organisationPlaceholder')}
              options={options}
              data-testid="referral-organisation"
              popupClassName="referral-organisation-popup"
            />
          </Form.Item>
          <Form.Item name="reason" label={t('referral.reason')} rules={[{ required: true, whitespace: true, message: t('referral.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} placeholder={t('referral.reasonPlaceholder')} data-testid="referral-reason" />
          </Form.Item>
          <Form.Item name="urgency" label={t('referral.urgency')}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" className="referral-urgency">
              {REFERRAL_URGENCIES.map((u) => (
                <Radio key={u} value={u} data-testid={`referral-urgency-${u}`}>
                  {t(`referral.urgency.${u}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="acceptBy" label={t('referral.acceptBy')} extra={t('referral.acceptByDefault', { time: hoursLabel(t, DEFAULT_ACCEPT_HOURS[urgency]) })}>
            <Input type="datetime-local" size="large" data-testid="referral-accept-by" />
          </Form.Item>
          <Form.Item name="shareContacts" label={t('referral.shareContacts')} valuePropName="checked" extra={t('referral.shareContactsHint')}>
            <Switch data-testid="referral-share-contacts" />
          </Form.Item>
          <Form.Item label={t('referral.attachments')} extra={t('referral.attachmentsHint')}>
            <Upload
              accept={ATTACHMENT_ACCEPT}
              multiple
              fileList={files}
              beforeUpload={(file) => {
                if (!tooBig(t, file, (text) => void message.error(text))) {
                  setFiles((list) => (list.length >= MAX_REFERRAL_ATTACHMENTS ? list : [...list, { uid: file.uid, name: file.name, size: file.size, originFileObj: file }]));
                }
                return false;
              }}
              onRemove={(file) => setFiles((list) => list.filter((f) => f.uid !== file.uid))}
              data-testid="referral-files"
            >
              <Button icon={<PaperClipOutlined />} size="large" disabled={files.length >= MAX_REFERRAL_ATTACHMENTS} data-testid="referral-add-file">
                {t('referral.addFile')}
              </Button>
            </Upload>
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" size="large" block icon={<SendOutlined />} loading={create.isPending || uploading} data-testid="referral-submit">
          {t('referral.submit')}
        </Button>
      </Form>
    </div>
  );
}

// ---------------------------------------------------------------- list

export function ReferralsPage() {
  const t = useT();
  const list = useListParams();
  const state = list.params.get('state');
  const filters: ReferralListFilters = {
    state: (REFERRAL_STATES as readonly string[]).includes(state ?? '') ? (state as ReferralState) : undefined,
    overdue: list.params.get('overdue') === 'true' ? 'true' : undefined,
    page: list.page,
    pageSize: list.pageSize,
  };
  const referrals = useReferrals(filters);
  const columns: RecordColumn<ReferralRow>[] = [
    { title: t('referral.child'), key: 'child', render: (_, r) => <Link to={`/referrals/${r.id}`}>{r.child.name}</Link> },
    { title: t('referral.organisation'), key: 'organisation', render: (_, r) => r.organisation.name },
    { title: t('referral.urgency'), key: 'urgency', card: 'tag', render: (_, r) => <UrgencyTag urgency={r.urgency} /> },
    { title: t('referral.acceptBy'), key: 'acceptBy', render: (_, r) => (r.overdue ? <Tag color="red">{t('referral.overdueAt', { at: formatDateTime(r.acceptBy) })}</Tag> : formatDateTime(r.acceptBy)) },
    { title: t('referral.state'), key: 'state', card: 'tag', render: (_, r) => <ReferralStateTag state={r.state} /> },
    { title: t('referral.createdAt'), key: 'createdAt', render: (_, r) => formatDateTime(r.createdAt) },
  ];
  return (
    <div className="referrals-page">
      <PageHeader title={t('referral.nav')} />
      <Card size="small">
        <FilterBar
          filters={[
            {
              kind: 'select',
              param: 'state',
              all: t('referral.allStates'),
              options: REFERRAL_STATES.map((s) => ({ value: s, label: t(`referral.state.${s}`) })),
              style: { width: 130 },
              testId: 'referrals-state',
            },
            {
              kind: 'custom',
              params: ['overdue'],
              node: (
                <Space>
                  <Switch checked={filters.overdue === 'true'} onChange={(on) => list.filter({ overdue: on ? 'true' : undefined })} data-testid="referrals-overdue" />
                  <span>{t('referral.onlyOverdue')}</span>
                </Space>
              ),
            },
          ]}
        />
        <RecordTable<ReferralRow>
          testId="referrals-table"
          columns={columns}
          query={referrals}
          list={list}
          hrefOf={(r) => `/referrals/${r.id}`}
          flaggedClass={(r) => (r.overdue ? 'referral-row-overdue' : '')}
          empty={t('referral.empty')}
        />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------- one referral

function WithdrawButton({ referral }: { referral: ReferralRecord }) {
  const t = useT();
  const withdraw = useWithdrawReferral(referral.id);
  return (
    <ConfirmAction<{ note?: string }>
      label={t('referral.withdraw')}
      testId="referral-withdraw"
      danger
      title={t('referral.withdrawTitle')}
      okText={t('referral.withdrawConfirm')}
      fields={
        <Form.Item name="note" label={t('referral.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      }
      run={(v) => withdraw.mutateAsync({ note: v.note?.trim() || null })}
      done={t('referral.withdrawn')}
      errorFields={['note']}
    />
  );
}

export function ReferralPage() {
  const t = useT();
  const { id = '' } = useParams();
  const referral = useReferral(id);
  if (referral.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (referral.isError) return <Result status={isApiError(referral.error) && referral.error.status === 404 ? '404' : 'warning'} title={t('referral.notFound')} subTitle={referral.error.message} />;
  const r = referral.data;
  return (
    <div className="referral-page">
      <PageHeader title={t('referral.title', { name: r.child.name })} extra={r.can.withdraw ? <WithdrawButton referral={r} /> : null} />
      {r.overdue ? <Alert type="error" showIcon message={t('referral.overdueAlert')} className="referral-alert" /> : null}
      <Card size="small">
        <Descriptions column={1} size="small" data-testid="referral-facts">
          <Descriptions.Item label={t('referral.child')}>
            <Link to={`/children/${r.child.id}`}>{r.child.name}</Link> · {r.region.name}
          </Descriptions.Item>
          <Descriptions.Item label={t('referral.state')}>
            <ReferralStateTag state={r.state} testId="referral-state" />
          </Descriptions.Item>
          <Descriptions.Item label={t('referral.organisation')}>{`${r.organisation.name} · ${t(`orgKind.${r.organisation.kind}`)}`}</Descriptions.Item>
          <Descriptions.Item label={t('referral.urgency')}>
            <UrgencyTag urgency={r.urgency} />
          </Descriptions.Item>
          <Descriptions.Item label={t('referral.acceptBy')}>{formatDateTime(r.acceptBy)}</Descriptions.Item>
          <Descriptions.Item label={t('referral.reason')}>{r.reason}</Descriptions.Item>
          <Descriptions.Item label={t('referral.shareContacts')}>{r.shareContacts ? t('referral.yes') : t('referral.no')}</Descriptions.Item>
          <Descriptions.Item label={t('referral.createdBy')}>{`${r.createdBy} · ${formatDateTime(r.createdAt)}`}</Descriptions.Item>
          {r.declineReason ? (
            <Descriptions.Item label={t('referral.declineReason')}>
              <span data-testid="referral-decline-reason">{r.declineReason}</span>
            </Descriptions.Item>
          ) : null}
          {r.feedback ? (
            <Descriptions.Item label={t('referral.feedback')}>
              <span data-testid="referral-feedback">{r.feedback}</span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      <Card size="small" title={t('referral.attachments')} extra={r.can.attach ? <AttachButton referralId={r.id} full={r.attachments.length >= MAX_REFERRAL_ATTACHMENTS} /> : null}>
        <ReferralAttachmentList attachments={r.attachments} testId="referral-attachments" />
      </Card>
      <Card size="small" title={t('referral.trail')}>
        <WorkTotals work={r.work} />
        <ReferralTrail events={r.events} work={r.work} testId="referral-trail" />
      </Card>
    </div>
  );
}
