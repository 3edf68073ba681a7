/**
 * The agency inbox (转介收件箱): the referrals to the user's organisation,
 * open ones to act on and finished ones as read-only history, and one
 * referral with the referral-scoped view of the child (never a link to the
 * child file) and the actions the server allows (can.*), each confirmed.
 */
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Radio, Result, Select, Skeleton, Space, Tabs, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { chinaToday } from '../../../../domain/china-time.js';
import { CONTACT_METHODS, MAX_SESSION_MINUTES, REFERRAL_WORK_KINDS, SESSION_KINDS, type ContactMethod, type ReferralWorkKind, type SessionKind } from '../../../../domain/referrals/rules.js';
import type { InboxReferral, InboxRow, ReferralWorkInput } from '../../../../domain/referrals/schema.js';
import { isApiError } from '../../shared/api/client.js';
import { useInbox, useInboxAction, useInboxReferral, useRecordReferralWork, type InboxAction } from '../referrals/api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useListParams } from '../../shared/filter-bar.js';
import { ConfirmAction } from '../../shared/confirm-action.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { ReferralAttachmentList, ReferralStateTag, ReferralTrail, UrgencyTag, WorkTotals } from '../referrals/public.js';

export function InboxPage() {
  const t = useT();
  const list = useListParams();
  const view = list.params.get('view') === 'finished' ? 'finished' : 'open';
  const inbox = useInbox(view, list.page, list.pageSize);
  const columns: RecordColumn<InboxRow>[] = [
    { title: t('referral.child'), key: 'child', render: (_, r) => <Link to={`/inbox/${r.id}`}>{r.childName}</Link> },
    // The state before the rest: what to do next shows first.
    { title: t('referral.state'), key: 'state', card: 'tag', render: (_, r) => <ReferralStateTag state={r.state} /> },
    { title: t('referral.urgency'), key: 'urgency', card: 'tag', render: (_, r) => <UrgencyTag urgency={r.urgency} /> },
    {
      title: t('referral.acceptBy'),
      key: 'acceptBy',
      render: (_, r) => (r.overdue ? <Typography.Text className="inbox-overdue" data-testid="inbox-overdue">{t('referral.overdueAt', { at: formatDateTime(r.acceptBy) })}</Typography.Text> : formatDateTime(r.acceptBy)),
    },
    { title: t('referral.receivedAt'), key: 'createdAt', render: (_, r) => formatDateTime(r.createdAt) },
  ];
  return (
    <div className="inbox-page">
      <PageHeader title={t('inbox.nav')} />
      <Card size="small">
        <Tabs
          activeKey={view}
          onChange={(key) => list.filter({ view: key === 'open' ? undefined : key })}
          items={[
            { key: 'open', label: <span data-testid="inbox-tab-open">{t('inbox.open')}</span> },
            { key: 'finished', label: <span data-testid="inbox-tab-finished">{t('inbox.finished')}</span> },
          ]}
        />
        <RecordTable<InboxRow>
          testId="inbox-table"
          columns={columns}
          query={inbox}
          list={list}
          hrefOf={(r) => `/inbox/${r.id}`}
          flaggedClass={(r) => (r.overdue ? 'referral-row-overdue' : '')}
          empty={t(view === 'open' ? 'inbox.emptyOpen' : 'inbox.emptyFinished')}
        />
      </Card>
    </div>
  );
}

/** Decline asks for a reason and complete for feedback; accept and start take an optional note. */
const REQUIRED_TEXT: Partial<Record<InboxAction, 'reason' | 'feedback'>> = { decline: 'reason', complete: 'feedback' };

function ActionButton({ referral, action }: { referral: InboxReferral; action: InboxAction }) {
  const t = useT();
  const mutation = useInboxAction(referral.id);
  const required = REQUIRED_TEXT[action];
  return (
    <ConfirmAction<{ text?: string }>
      label={t(`inbox.action.${action}`)}
      testId={`inbox-${action}`}
      danger={action === 'decline'}
      button={{ size: 'large', block: true }}
      title={t(`inbox.confirm.${action}`, { name: referral.childName })}
      okText={t(`inbox.action.${action}`)}
      fields={
        <Form.Item
          name="text"
          label={t(required === 'reason' ? 'referral.declineReason' : required === 'feedback' ? 'referral.feedback' : 'referral.note')}
          rules={required ? [{ required: true, whitespace: true, message: t('referral.required') }] : []}
        >
          <Input.TextArea rows={3} maxLength={required === 'feedback' ? 4000 : 2000} data-testid={`inbox-${action}-text`} />
        </Form.Item>
      }
      run={(v) => {
        const text = v.text?.trim() || null;
        const body = required === 'reason' ? { reason: text ?? '' } : required === 'feedback' ? { feedback: text ?? '' } : { note: text };
        return mutation.mutateAsync({ action, body });
      }}
      done={t(`inbox.done.${action}`)}
    />
  );
}

interface WorkValues {
  kind: ReferralWorkKind;
  date: string;
  durationMinutes?: number;
  sessionKind?: SessionKind;
  method?: ContactMethod;
  withWhom?: string;
  note?: string;
}

/** While serving: a session (kind, minutes), a contact (how, with whom) or a note, each with its day; big controls for a phone. */
function WorkForm({ referral }: { referral: InboxReferral }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const record = useRecordReferralWork(referral.id);
  const [form] = Form.useForm<WorkValues>();
  const kind = Form.useWatch('kind', form) ?? 'session';
  // China's calendar day, as the server judges "not in the future" and "not before the referral" (a browser elsewhere, or a headless one in UTC, would be a day behind after midnight in China).
  const today = chinaToday();
  const submit = (v: WorkValues) => {
    const note = v.note?.trim() || null;
    const input: ReferralWorkInput =
      v.kind === 'session'
        ? { kind: 'session', date: v.date, durationMinutes: v.durationMinutes ?? 0, sessionKind: v.sessionKind ?? 'individual', note }
        : v.kind === 'contact'
          ? { kind: 'contact', date: v.date, method: v.method ?? 'phone', withWhom: v.withWhom ?? '', note }
          : { kind: 'note', date: v.date, note: note ?? '' };
    record.mutate(input, {
      onSuccess: () => {
        void message.success(t('inbox.work.saved'));
        form.resetFields(['note', 'withWhom', 'durationMinutes']);
      },
      onError: (e) => showError(e, { instance: form, fields: ['date', 'durationMinutes', 'sessionKind', 'method', 'withWhom', 'note'] }),
    });
  };
  return (
    <Form<WorkValues> form={form} layout="vertical" initialValues={{ kind: 'session', date: today, sessionKind: 'individual', method: 'phone' }} onFinish={submit} data-testid="work-form">
      <Typography.Paragraph type="secondary">{t('inbox.work.hint')}</Typography.Paragraph>
      <Form.Item name="kind" label={t('inbox.work.kind')}>
        <Radio.Group optionType="button" buttonStyle="solid" size="large" className="work-kinds">
          {REFERRAL_WORK_KINDS.map((k) => (
            <Radio.Button key={k} value={k}>
              {/* On the label's text: a button-style radio's input is hidden, so the test clicks what a user does. */}
              <span data-testid={`work-kind-${k}`}>{t(`referral.work.${k}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="date" label={t('inbox.work.date')} rules={[{ required: true, message: t('inbox.work.required') }]}>
        <Input type="date" size="large" max={today} data-testid="work-date" />
      </Form.Item>
      {kind === 'session' ? (
        <>
          <Form.Item name="sessionKind" label={t('inbox.work.sessionKind')}>
            <Select size="large" options={SESSION_KINDS.map((k) => ({ value: k, label: t(`referral.sessionKind.${k}`) }))} data-testid="work-session-kind" />
          </Form.Item>
          <Form.Item name="durationMinutes" label={t('inbox.work.duration')} rules={[{ required: true, message: t('inbox.work.required') }]}>
            <InputNumber size="large" min={1} max={MAX_SESSION_MINUTES} step={10} inputMode="numeric" style={{ width: '100%' }} data-testid="work-duration" />
          </Form.Item>
        </>
      ) : null}
      {kind === 'contact' ? (
        <>
          <Form.Item name="method" label={t('inbox.work.method')}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" className="work-methods">
              {CONTACT_METHODS.map((m) => (
                <Radio.Button key={m} value={m}>
                  <span data-testid={`work-method-${m}`}>{t(`referral.contactMethod.${m}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="withWhom" label={t('inbox.work.withWhom')} rules={[{ required: true, whitespace: true, message: t('inbox.work.required') }]}>
            <Input size="large" maxLength={100} placeholder={t('inbox.work.withWhomPlaceholder')} data-testid="work-with-whom" />
          </Form.Item>
        </>
      ) : null}
      <Form.Item name="note" label={t('inbox.work.note')} rules={kind === 'note' ? [{ required: true, whitespace: true, message: t('inbox.work.required') }] : []}>
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('inbox.work.notePlaceholder')} data-testid="work-note" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={record.isPending} data-testid="work-submit">
        {t('inbox.work.submit')}
      </Button>
    </Form>
  );
}

export function InboxReferralPage() {
  const t = useT();
  const { id = '' } = useParams();
  const referral = useInboxReferral(id);
  if (referral.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (referral.isError) return <Result status={isApiError(referral.error) && referral.error.status === 404 ? '404' : 'warning'} title={t('referral.notFound')} subTitle={referral.error.message} />;
  const r = referral.data;
  const actions = (['accept', 'decline', 'start', 'complete'] as const).filter((a) => r.can[a]);
  const child = r.child;
  return (
    <div className="inbox-referral-page">
      <PageHeader title={t('referral.title', { name: r.childName })}>
        <Space size={4}>
          <ReferralStateTag state={r.state} testId="inbox-state" />
          <UrgencyTag urgency={r.urgency} />
        </Space>
      </PageHeader>
      {r.overdue ? <Alert type="error" showIcon message={t('inbox.overdueAlert', { at: formatDateTime(r.acceptBy) })} className="referral-alert" /> : null}
      {r.readOnly ? <Alert type="info" showIcon message={t('inbox.readOnly')} className="referral-alert" data-testid="inbox-read-only" /> : null}
      {child ? (
        <Card size="small" title={t('inbox.childView')} data-testid="inbox-child">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('inbox.childName')}>{child.name}</Descriptions.Item>
            <Descriptions.Item label={t('inbox.childAgeSex')}>{`${t('child.ageYears', { age: child.age })} · ${enumLabel(t, 'sex', child.sex)}`}</Descriptions.Item>
            <Descriptions.Item label={t('inbox.village')}>{child.villageName}</Descriptions.Item>
            {child.contacts ? (
              <Descriptions.Item label={t('inbox.contacts')}>
                <span data-testid="inbox-contacts">{[child.contacts.caregiverName, child.contacts.caregiverRelation, child.contacts.caregiverPhone].filter(Boolean).join(' · ') || '—'}</span>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Text type="secondary">{t(child.contacts ? 'inbox.childViewHint' : 'inbox.childViewNoContacts')}</Typography.Text>
        </Card>
      ) : null}
      <Card size="small">
        <Descriptions column={1} size="small" data-testid="inbox-facts">
          <Descriptions.Item label={t('referral.reason')}>{r.reason}</Descriptions.Item>
          <Descriptions.Item label={t('referral.acceptBy')}>
            {r.overdue ? <Typography.Text className="inbox-overdue">{formatDateTime(r.acceptBy)}</Typography.Text> : formatDateTime(r.acceptBy)}
          </Descriptions.Item>
          <Descriptions.Item label={t('referral.createdBy')}>{`${r.createdBy} · ${formatDateTime(r.createdAt)}`}</Descriptions.Item>
          {r.declineReason ? <Descriptions.Item label={t('referral.declineReason')}>{r.declineReason}</Descriptions.Item> : null}
          {r.feedback ? (
            <Descriptions.Item label={t('referral.feedback')}>
              <span data-testid="inbox-feedback">{r.feedback}</span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {actions.length > 0 ? (
        <div className="inbox-actions">
          {actions.map((a) => (
            <ActionButton key={a} referral={r} action={a} />
          ))}
        </div>
      ) : null}
      {r.can.recordWork ? (
        <Card size="small" title={t('inbox.work.title')}>
          <WorkForm referral={r} />
        </Card>
      ) : r.state === 'accepted' ? (
        <Alert type="info" showIcon message={t('inbox.work.notYet')} className="referral-alert" />
      ) : null}
      {r.readOnly ? null : (
        <Card size="small" title={t('referral.attachments')}>
          <ReferralAttachmentList attachments={r.attachments} testId="inbox-attachments" />
        </Card>
      )}
      <Card size="small" title={t('referral.trail')}>
        <WorkTotals work={r.work} />
        <ReferralTrail events={r.events} work={r.work} testId="inbox-trail" />
      </Card>
    </div>
  );
}
