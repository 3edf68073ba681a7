/**
 * Orders and state guardianship (法律与国家监护): a form per kind (督促监护令,
 * 家庭教育指导, 临时监护, 撤销监护资格申请), the list of the scope by kind and
 * state, and one order with its facts, its follow-up checks or guidance
 * sessions, and the next steps its state allows, each confirmed first.
 */
import { SafetyOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Radio, Result, Select, Skeleton, Space, Tag, Timeline, Typography, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  ADDRESSEES,
  ART92_GROUNDS,
  GUARDIANSHIP_OUTCOMES,
  GUIDANCE_ISSUERS,
  KIND_STATES,
  ORDER_KINDS,
  ORDER_STATES,
  PLACEMENTS,
  REVOCATION_OUTCOMES,
  isActiveOrder,
  type OrderAction,
  type OrderKind,
  type OrderState,
} from '../../../../domain/orders/rules.js';
import type { OrderInput, OrderRecord, OrderRow, OrderTransitionInput } from '../../../../domain/orders/schema.js';
import { useChild } from '../children/api.js';
import { isApiError } from '../../shared/api/client.js';
import { useOrder, useOrders, useRecordOrder, useRecordOrderEntry, useTransitionOrder, type OrderListFilters } from './api.js';
import { useReferralOrganisations } from '../referrals/api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { FilterBar, useListParams } from '../../shared/filter-bar.js';
import { ConfirmAction } from '../../shared/confirm-action.js';
import { StateTag } from '../../shared/state-tag.js';
import { useT, type Translate } from './strings.js';
import { chinaToday } from '../../../../domain/china-time.js';
import { personNameRule } from '../../shared/person-name-rule.js';

const today = () => chinaToday();
const isKind = (v: string | null): v is OrderKind => (ORDER_KINDS as readonly string[]).includes(v ?? '');
const isState = (v: string | null): v is OrderState => (ORDER_STATES as readonly string[]).includes(v ?? '');
export const orderKindLabel = (t: Translate, kind: OrderKind) => t(`order.kind.${kind}`);

const STATE_COLOURS = Object.fromEntries(ORDER_STATES.map((state) => [state, state === 'escalated' ? 'red' : isActiveOrder(state) ? 'blue' : 'default'])) as Record<OrderState, string>;

export function OrderStateTag({ state }: { state: OrderState }) {
  const t = useT();
  return <StateTag state={state} colours={STATE_COLOURS} label={t(`order.state.${state}`)} testId="order-state" />;
}

// ---------------------------------------------------------------- new order

/** The organisation kind each order's issuer has (guidance: court or women's federation, chosen in the form). */
const ISSUER_ORG_KIND: Partial<Record<OrderKind, string>> = { supervision: 'procuratorate', revocation: 'court' };

interface FormValues {
  issuerOrganisationId?: string;
  issuerName?: string;
  issuerKind?: 'court' | 'womens_federation';
  orderNo?: string;
  issuedOn?: string;
  addressee?: (typeof ADDRESSEES)[number];
  addresseeName?: string;
  content?: string;
  plannedSessions?: number;
  startedOn?: string;
  placement?: (typeof PLACEMENTS)[number];
  placementName?: string;
  ground?: (typeof ART92_GROUNDS)[number];
  assessment?: string;
  petitioner?: string;
  filedOn?: string;
  hearingOn?: string;
}

const FORM_FIELDS = ['issuerOrganisationId', 'issuerName', 'issuerKind', 'orderNo', 'issuedOn', 'addressee', 'addresseeName', 'content', 'plannedSessions', 'startedOn', 'placement', 'placementName', 'ground', 'assessment', 'petitioner', 'filedOn', 'hearingOn'] as const;

function inputOf(kind: OrderKind, v: FormValues): OrderInput {
  const s = (x: string | undefined) => x?.trim() || null;
  const issuer = { issuerOrganisationId: v.issuerOrganisationId ?? null, issuerName: s(v.issuerName) };
  switch (kind) {
    case 'supervision':
      return { kind, ...issuer, orderNo: v.orderNo ?? '', issuedOn: v.issuedOn ?? '', addressee: v.addressee ?? 'father', addresseeName: v.addresseeName ?? '', content: v.content ?? '' };
    case 'education_guidance':
      return { kind, ...issuer, issuerKind: v.issuerKind ?? 'womens_federation', issuedOn: v.issuedOn ?? '', addressee: v.addressee ?? 'father', addresseeName: v.addresseeName ?? '', plannedSessions: v.plannedSessions ?? 1, content: s(v.content) };
    case 'temporary_guardianship':
      return { kind, startedOn: v.startedOn ?? '', placement: v.placement ?? 'relative', placementName: s(v.placementName), ground: v.ground ?? 'other_by_law', assessment: s(v.assessment) };
    case 'revocation':
      return { kind, ...issuer, petitioner: v.petitioner ?? '', filedOn: v.filedOn ?? '', hearingOn: v.hearingOn || null, content: s(v.content) };
  }
}

/** The issuing body: an organisation of the right kind the child's area knows, or a name typed in. */
function IssuerFields({ childId, orgKind }: { childId: string; orgKind: string }) {
  const t = useT();
  const orgs = useReferralOrganisations(childId);
  const options = (orgs.data?.items ?? []).filter((o) => o.kind === orgKind).map((o) => ({ value: o.id, label: `${o.name}（${o.regionName}）` }));
  return (
    <>
      <Form.Item name="issuerOrganisationId" label={t('order.issuerOrganisation')} extra={t('order.issuerHint')}>
        <Select size="large" allowClear options={options} loading={orgs.isPending} data-testid="order-issuer-org" />
      </Form.Item>
      <Form.Item
        name="issuerName"
        label={t('order.issuerName')}
        dependencies={['issuerOrganisationId']}
        rules={[({ getFieldValue }) => ({ validator: (_, value: string | undefined) => (getFieldValue('issuerOrganisationId') || value?.trim() ? Promise.resolve() : Promise.reject(new Error(t('order.issuerRequired')))) })]}
      >
        <Input size="large" maxLength={100} data-testid="order-issuer-name" />
      </Form.Item>
    </>
  );
}

const required = (t: Translate) => [{ required: true, whitespace: true, message: t('order.required') }];

export function OrderNewPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const { id: childId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const kindParam = search.get('kind');
  const kind: OrderKind = isKind(kindParam) ? kindParam : 'supervision';
  const child = useChild(childId);
  const record = useRecordOrder(childId);
  const [form] = Form.useForm<FormValues>();
  const issuerKind = Form.useWatch('issuerKind', form);

  const submit = (v: FormValues) =>
    record.mutate(inputOf(kind, v), {
      onSuccess: (order) => {
        void message.success(t('order.created'));
        void navigate(`/orders/${order.id}`, { replace: true });
      },
      onError: (e) => showError(e, { instance: form, fields: FORM_FIELDS }),
    });

  if (child.isError) return <Result status="404" title={t('childPage.notFound')} />;
  const orgKind = kind === 'education_guidance' ? (issuerKind ?? 'womens_federation') : ISSUER_ORG_KIND[kind];
  return (
    <div className="order-form-page">
      <PageHeader title={t('order.newTitle', { kind: orderKindLabel(t, kind) })}>
        <Typography.Text type="secondary" data-testid="order-child">
          {child.data ? `${child.data.name} · ${child.data.region.name}` : ' '}
        </Typography.Text>
      </PageHeader>
      <Radio.Group
        className="order-kind-switch"
        style={{ marginBottom: 12 }}
        optionType="button"
        buttonStyle="solid"
        value={kind}
        onChange={(e) => setSearch({ kind: String(e.target.value) }, { replace: true })}
        options={ORDER_KINDS.map((k) => ({ value: k, label: orderKindLabel(t, k) }))}
        data-testid="order-kind"
      />
      <Form<FormValues>
        key={kind}
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ issuedOn: today(), startedOn: today(), filedOn: today(), addressee: 'father', issuerKind: 'womens_federation', plannedSessions: 4 }}
        data-testid="order-form"
      >
        <Card size="small">
          {kind === 'education_guidance' ? (
            <Form.Item name="issuerKind" label={t('order.issuerKind')}>
              <Radio.Group optionType="button" options={GUIDANCE_ISSUERS.map((k) => ({ value: k, label: t(`order.issuerKind.${k}`) }))} />
            </Form.Item>
          ) : null}
          {orgKind ? <IssuerFields key={orgKind} childId={childId} orgKind={orgKind} /> : null}
          {kind === 'supervision' ? (
            <Form.Item name="orderNo" label={t('order.orderNo')} rules={required(t)}>
              <Input size="large" maxLength={60} data-testid="order-no" />
            </Form.Item>
          ) : null}
          {kind === 'supervision' || kind === 'education_guidance' ? (
            <>
              <Form.Item name="issuedOn" label={t('order.issuedOn')} rules={required(t)}>
                <Input type="date" size="large" max={today()} data-testid="order-issued-on" />
              </Form.Item>
              <Form.Item name="addressee" label={t('order.addressee')}>
                <Radio.Group optionType="button" options={ADDRESSEES.map((a) => ({ value: a, label: t(`order.addressee.${a}`) }))} />
              </Form.Item>
              <Form.Item name="addresseeName" label={t('order.addresseeName')} rules={[...required(t), personNameRule(t)]}>
                <Input size="large" maxLength={64} data-testid="order-addressee-name" />
              </Form.Item>
            </>
          ) : null}
          {kind === 'education_guidance' ? (
            <Form.Item name="plannedSessions" label={t('order.plannedSessions')} rules={[{ required: true, message: t('order.required') }]}>
              <InputNumber size="large" min={1} max={100} data-testid="order-planned" />
            </Form.Item>
          ) : null}
          {kind === 'temporary_guardianship' ? (
            <>
              <Form.Item name="startedOn" label={t('order.startedOn')} rules={required(t)}>
                <Input type="date" size="large" max={today()} data-testid="order-started-on" />
              </Form.Item>
              <Form.Item name="ground" label={t('order.ground')} rules={[{ required: true, message: t('order.required') }]}>
                <Radio.Group className="order-grounds" data-testid="order-grounds">
                  <Space direction="vertical">
                    {ART92_GROUNDS.map((g) => (
                      <Radio key={g} value={g} data-testid={`order-ground-${g}`}>
                        {t(`order.ground.${g}`)}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </Form.Item>
              <Form.Item name="placement" label={t('order.placement')} rules={[{ required: true, message: t('order.required') }]}>
                <Radio.Group optionType="button" buttonStyle="solid" options={PLACEMENTS.map((p) => ({ value: p, label: t(`order.placement.${p}`) }))} data-testid="order-placement" />
              </Form.Item>
              <Form.Item name="placementName" label={t('order.placementName')}>
                <Input size="large" maxLength={100} data-testid="order-placement-name" />
              </Form.Item>
              <Form.Item name="assessment" label={t('order.assessment')}>
                <Input.TextArea rows={3} maxLength={2000} data-testid="order-assessment" />
              </Form.Item>
            </>
          ) : null}
          {kind === 'revocation' ? (
            <>
              <Form.Item name="petitioner" label={t('order.petitioner')} rules={required(t)}>
                <Input size="large" maxLength={100} data-testid="order-petitioner" />
              </Form.Item>
              <Form.Item name="filedOn" label={t('order.filedOn')} rules={required(t)}>
                <Input type="date" size="large" max={today()} data-testid="order-filed-on" />
              </Form.Item>
              <Form.Item name="hearingOn" label={t('order.hearingOn')}>
                <Input type="date" size="large" data-testid="order-hearing-on" />
              </Form.Item>
            </>
          ) : null}
          {kind !== 'temporary_guardianship' ? (
            <Form.Item
              name="content"
              label={t(kind === 'supervision' ? 'order.content' : kind === 'revocation' ? 'order.petitionContent' : 'order.guidanceContent')}
              rules={kind === 'supervision' ? required(t) : []}
            >
              <Input.TextArea rows={3} maxLength={2000} data-testid="order-content" />
            </Form.Item>
          ) : null}
        </Card>
        <Button type="primary" htmlType="submit" size="large" block icon={<SafetyOutlined />} loading={record.isPending} data-testid="order-submit">
          {t('order.submit')}
        </Button>
      </Form>
    </div>
  );
}

// ---------------------------------------------------------------- list

export function OrdersPage() {
  const t = useT();
  const list = useListParams();
  const { params } = list;
  const kind = params.get('kind');
  const state = params.get('state');
  const active = params.get('active');
  const filters: OrderListFilters = {
    kind: isKind(kind) ? kind : undefined,
    state: isState(state) ? state : undefined,
    active: active === 'true' || active === 'false' ? active : undefined,
    page: list.page,
    pageSize: list.pageSize,
  };
  const orders = useOrders(filters);
  const states: readonly OrderState[] = filters.kind ? KIND_STATES[filters.kind] : [...new Set(Object.values(KIND_STATES).flat())];
  const columns: RecordColumn<OrderRow>[] = [
    { title: t('order.child'), key: 'child', render: (_, r) => <Link to={`/orders/${r.id}`}>{r.child.name}</Link> },
    { title: t('order.region'), key: 'region', render: (_, r) => r.region.name },
    { title: t('order.kindLabel'), key: 'kind', render: (_, r) => orderKindLabel(t, r.kind) },
    { title: t('order.date'), key: 'date', dataIndex: 'date' },
    { title: t('order.issuer'), key: 'issuer', render: (_, r) => r.issuer ?? '—' },
    { title: t('order.stateLabel'), key: 'state', card: 'tag', render: (_, r) => <OrderStateTag state={r.state} /> },
  ];
  return (
    <div className="orders-page">
      <PageHeader title={t('order.nav')} />
      <Card size="small">
        <FilterBar
          filters={[
            { kind: 'select', param: 'kind', all: t('order.allKinds'), options: ORDER_KINDS.map((k) => ({ value: k, label: orderKindLabel(t, k) })), clears: ['state'], style: { width: 180 }, testId: 'orders-kind' },
            { kind: 'select', param: 'state', all: t('order.allStates'), options: states.map((s) => ({ value: s, label: t(`order.state.${s}`) })), style: { width: 140 }, testId: 'orders-state' },
            {
              kind: 'select',
              param: 'active',
              all: t('common.all'),
              options: [
                { value: 'true', label: t('order.onlyActive') },
                { value: 'false', label: t('order.notActive') },
              ],
              style: { width: 140 },
              testId: 'orders-active',
            },
          ]}
        />
        <RecordTable<OrderRow>
          testId="orders-table"
          columns={columns}
          query={orders}
          list={list}
          hrefOf={(r) => `/orders/${r.id}`}
          flaggedClass={(r) => (r.state === 'escalated' ? 'report-row-late' : '')}
          empty={t('order.empty')}
        />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------- one order

function EntryForm({ order, type }: { order: OrderRecord; type: 'check' | 'session' }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const add = useRecordOrderEntry(order.id);
  const [form] = Form.useForm<{ date: string; text: string; ok: boolean }>();
  const check = type === 'check';
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ date: today(), ok: true }}
      onFinish={(v) =>
        add.mutate(check ? { type, date: v.date, finding: v.text, compliant: v.ok, version: order.version } : { type, date: v.date, topic: v.text, attended: v.ok, version: order.version }, {
          onSuccess: () => {
            void message.success(t('order.entryRecorded'));
            form.resetFields(['text']);
          },
          onError: (e) => showError(e, { instance: form, fields: ['date'] }),
        })
      }
      data-testid={`order-${type}-form`}
    >
      <Form.Item name="date" label={t(check ? 'order.checkDate' : 'order.sessionDate')} rules={required(t)}>
        <Input type="date" max={today()} data-testid="entry-date" />
      </Form.Item>
      <Form.Item name="text" label={t(check ? 'order.finding' : 'order.topic')} rules={required(t)}>
        {check ? <Input.TextArea rows={2} maxLength={2000} data-testid="entry-text" /> : <Input maxLength={200} data-testid="entry-text" />}
      </Form.Item>
      <Form.Item name="ok" label={t(check ? 'order.compliant' : 'order.attended')}>
        <Radio.Group optionType="button" buttonStyle="solid">
          <Radio value={true} data-testid="entry-yes">
            {t('order.yes')}
          </Radio>
          <Radio value={false} data-testid="entry-no">
            {t('order.no')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={add.isPending} data-testid="entry-submit">
        {t(check ? 'order.addCheck' : 'order.addSession')}
      </Button>
    </Form>
  );
}

interface TransitionValues {
  note?: string;
  date?: string;
  outcome?: string;
  guardianName?: string;
  guardianRelation?: string;
}

const NOTE_REQUIRED: readonly OrderAction[] = ['escalate', 'discontinue', 'withdraw'];

/** The fields of a transition: a date and an outcome where the action ends or decides the order, and the note. */
function TransitionFields({ action, form }: { action: OrderAction; form: FormInstance<TransitionValues> }) {
  const t = useT();
  const outcome = Form.useWatch('outcome', form);
  const dated = action === 'end' || action === 'decide';
  const outcomes = action === 'end' ? GUARDIANSHIP_OUTCOMES : REVOCATION_OUTCOMES;
  return (
    <>
      {dated ? (
        <>
          <Form.Item name="date" label={t(action === 'end' ? 'order.endDate' : 'order.decidedOn')} rules={required(t)}>
            <Input type="date" max={today()} data-testid="transition-date" />
          </Form.Item>
          <Form.Item name="outcome" label={t('order.outcome')} rules={[{ required: true, message: t('order.required') }]}>
            <Radio.Group data-testid="transition-outcome">
              <Space direction="vertical">
                {outcomes.map((o) => (
                  <Radio key={o} value={o} data-testid={`transition-outcome-${o}`}>
                    {t(`order.outcome.${o}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          {action === 'decide' && outcome === 'revoked' ? (
            <>
              <Form.Item name="guardianName" label={t('order.newGuardianName')} rules={required(t)}>
                <Input maxLength={100} data-testid="transition-guardian-name" />
              </Form.Item>
              <Form.Item name="guardianRelation" label={t('order.newGuardianRelation')} rules={required(t)}>
                <Input maxLength={64} data-testid="transition-guardian-relation" />
              </Form.Item>
            </>
          ) : null}
        </>
      ) : null}
      <Form.Item
        name="note"
        label={t('order.note')}
        rules={NOTE_REQUIRED.includes(action) || (action === 'end' && outcome === 'other') ? [{ required: true, whitespace: true, message: t('order.noteRequired') }] : []}
      >
        <Input.TextArea rows={2} maxLength={2000} data-testid="transition-note" />
      </Form.Item>
    </>
  );
}

/** One next step, confirmed in a modal; ending and deciding ask for their date and outcome. */
function TransitionButton({ order, action }: { order: OrderRecord; action: OrderAction }) {
  const t = useT();
  const move = useTransitionOrder(order.id);
  const dated = action === 'end' || action === 'decide';
  const actionLabel = t(`order.action.${action}`);
  return (
    <ConfirmAction<TransitionValues>
      label={actionLabel}
      testId={`order-action-${action}`}
      okTestId="order-action-ok"
      danger={action === 'escalate' || action === 'discontinue' || action === 'withdraw'}
      title={t('order.confirmTitle', { action: actionLabel })}
      okText={actionLabel}
      description={<Typography.Paragraph>{t('order.confirmText', { name: order.child.name, kind: orderKindLabel(t, order.kind), action: actionLabel })}</Typography.Paragraph>}
      initialValues={{ date: today() }}
      fields={(form) => <TransitionFields action={action} form={form} />}
      run={(v) =>
        move.mutateAsync({
          action,
          version: order.version,
          note: v.note?.trim() || null,
          date: dated ? (v.date ?? null) : null,
          outcome: dated ? ((v.outcome as OrderTransitionInput['outcome']) ?? null) : null,
          newGuardian: action === 'decide' && v.outcome === 'revoked' ? { name: v.guardianName ?? '', relation: v.guardianRelation ?? '' } : null,
        })
      }
      done={t('order.done')}
      errorFields={['note', 'date', 'outcome']}
    />
  );
}

function OrderFacts({ order }: { order: OrderRecord }) {
  const t = useT();
  const d = order.details;
  const items: [string, ReactNode][] = [];
  const add = (label: string, value: ReactNode | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') items.push([label, value]);
  };
  add(t('order.issuer'), order.issuer);
  if (d.issuerKind) add(t('order.issuerKind'), t(`order.issuerKind.${d.issuerKind}`));
  add(t('order.orderNo'), d.orderNo);
  add(t(order.kind === 'temporary_guardianship' ? 'order.startedOn' : order.kind === 'revocation' ? 'order.filedOn' : 'order.issuedOn'), order.date);
  if (d.addressee) add(t('order.addressee'), `${t(`order.addressee.${d.addressee}`)} · ${d.addresseeName ?? ''}`);
  add(t(order.kind === 'supervision' ? 'order.content' : order.kind === 'revocation' ? 'order.petitionContent' : 'order.guidanceContent'), d.content);
  if (d.plannedSessions !== null) add(t('order.plannedSessions'), d.plannedSessions);
  if (order.attendanceRate !== null) {
    const attended = order.entries.filter((e) => e.type === 'session' && e.ok).length;
    add(t('order.attendance'), <span data-testid="order-attendance">{t('order.attendanceValue', { rate: order.attendanceRate, planned: d.plannedSessions ?? 0, attended })}</span>);
  }
  if (d.ground) add(t('order.ground'), d.ground ? t(`order.ground.${d.ground}`) : null);
  if (d.placement) add(t('order.placement'), [t(`order.placement.${d.placement}`), d.placementName].filter(Boolean).join(' · '));
  add(t('order.assessment'), d.assessment);
  add(t('order.petitioner'), d.petitioner);
  add(t('order.hearingOn'), d.hearingOn);
  add(t('order.endDate'), d.endedOn);
  add(t('order.decidedOn'), d.decidedOn);
  if (d.outcome) add(t('order.outcome'), <span data-testid="order-outcome">{t(`order.outcome.${d.outcome}`)}</span>);
  if (d.newGuardian) add(t('order.newGuardian'), `${d.newGuardian.name} · ${d.newGuardian.relation}`);
  add(t('order.createdBy'), `${order.createdBy} · ${formatDateTime(order.createdAt)}`);
  return (
    <Descriptions column={1} size="small" data-testid="order-facts">
      <Descriptions.Item label={t('order.child')}>
        <Link to={`/children/${order.child.id}`}>{order.child.name}</Link> · {order.region.name}
      </Descriptions.Item>
      <Descriptions.Item label={t('order.stateLabel')}>
        <OrderStateTag state={order.state} />
      </Descriptions.Item>
      {items.map(([label, value]) => (
        <Descriptions.Item key={label} label={label}>
          {value}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function OrderPage() {
  const t = useT();
  const { id = '' } = useParams();
  const order = useOrder(id);
  if (order.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (order.isError) return <Result status={isApiError(order.error) && order.error.status === 404 ? '404' : 'warning'} title={t('order.notFound')} subTitle={order.error.message} />;
  const o = order.data;
  return (
    <div className="report-page order-page">
      <PageHeader
        title={t('order.title', { kind: orderKindLabel(t, o.kind), name: o.child.name })}
        extra={
          o.can.actions.length > 0 ? (
            <Space wrap>
              {o.can.actions.map((a) => (
                <TransitionButton key={a} order={o} action={a} />
              ))}
            </Space>
          ) : null
        }
      />
      <Card size="small" title={t('order.facts')}>
        <OrderFacts order={o} />
      </Card>
      <Card size="small" title={t('order.entries')}>
        <Timeline
          data-testid="order-entries"
          items={[...o.entries].reverse().map((e) => ({
            key: e.id,
            color: e.ok === false ? 'red' : e.type === 'check' || e.type === 'session' ? 'green' : 'blue',
            children: (
              <div data-testid="order-entry" data-type={e.type}>
                <Typography.Text strong>{e.type === 'created' || e.type === 'check' || e.type === 'session' ? t(`order.entry.${e.type}`) : t(`order.action.${e.type}`)}</Typography.Text>{' '}
                {e.type === 'check' ? <Tag color={e.ok ? 'green' : 'red'}>{t(e.ok ? 'order.complied' : 'order.notComplied')}</Tag> : null}
                {e.type === 'session' ? <Tag color={e.ok ? 'green' : 'red'}>{t(e.ok ? 'order.attendedTag' : 'order.absentTag')}</Tag> : null}
                <Typography.Text type="secondary">
                  {e.date ? `${e.date} · ` : ''}
                  {e.actor ?? ''}
                </Typography.Text>
                {e.note ? <div>{e.note}</div> : null}
              </div>
            ),
          }))}
        />
        {o.can.check ? <EntryForm order={o} type="check" /> : null}
        {o.can.session ? <EntryForm order={o} type="session" /> : null}
      </Card>
    </div>
  );
}
