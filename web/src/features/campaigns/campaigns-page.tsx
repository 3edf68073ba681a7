/**
 * 重点核查: the campaigns overlapping the user's area, each with its period and
 * a progress bar of the tasks inside that area (a director sees his village's
 * share of a county campaign). Admins open a campaign here: region, period,
 * which children, and a checklist started from a template.
 */
import { DeleteOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { App, Alert, Button, Card, Checkbox, DatePicker, Drawer, Empty, Form, Grid, Input, Progress, Segmented, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { CATEGORIES } from '../../../../domain/children/schema.js';
import type { CampaignInput, CampaignRecord } from '../../../../domain/visits/schema.js';
import { useCampaignPreview, useCampaigns, useCreateCampaign } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import { useListParams } from '../../shared/filter-bar.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useT, type MessageKey, type Translate } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { hasPermission } from '../../shared/feature.js';
import { chinaToday } from '../../../../domain/china-time.js';

type Status = CampaignRecord['status'];
const STATUSES: readonly Status[] = ['open', 'closed'];

export function CampaignStatusTag({ status }: { status: Status }) {
  const t = useT();
  return <Tag color={status === 'open' ? 'processing' : 'default'}>{t(status === 'open' ? 'campaign.status.open' : 'campaign.status.closed')}</Tag>;
}

export function categoriesText(t: Translate, categories: readonly string[]): string {
  return categories.length === 0 ? t('campaign.allChildren') : categories.map((c) => enumLabel(t, 'category', c)).join('、');
}

/** Done over tasks as a bar, the numbers beside it. */
export function TaskProgress({ done, tasks, size = 'default' }: { done: number; tasks: number; size?: 'default' | 'small' }) {
  const t = useT();
  const percent = tasks === 0 ? 0 : Math.floor((done / tasks) * 100);
  return (
    <div className="campaign-progress" data-testid="campaign-progress">
      <Progress percent={percent} size={size} status={tasks > 0 && done === tasks ? 'success' : 'normal'} showInfo={false} />
      <Typography.Text type="secondary" className="campaign-progress-text">
        {t('campaign.progressText', { done, tasks })} · {tasks === 0 ? '—' : `${percent}%`}
      </Typography.Text>
    </div>
  );
}

function CampaignCard({ campaign }: { campaign: CampaignRecord }) {
  const t = useT();
  return (
    <Link to={`/campaigns/${campaign.id}`} className="campaign-card" data-testid="campaign-row">
      <div className="campaign-card-main">
        <div className="campaign-card-title">
          <Typography.Text strong>{campaign.name}</Typography.Text>
          <CampaignStatusTag status={campaign.status} />
        </div>
        <Typography.Text type="secondary" className="campaign-card-meta">
          {campaign.region.name} · {campaign.startDate} ~ {campaign.endDate}
        </Typography.Text>
        <TaskProgress done={campaign.done} tasks={campaign.tasks} size="small" />
        {campaign.problems > 0 ? <Typography.Text type="danger">{t('campaign.problemsCount', { count: campaign.problems })}</Typography.Text> : null}
      </div>
      <RightOutlined className="campaign-card-arrow" />
    </Link>
  );
}

// ---------------------------------------------------------------- new campaign

interface Preset {
  key: 'entrusted' | 'unsupported' | 'vacation';
  items: readonly { key: string; label: MessageKey }[];
}
const PRESETS: readonly Preset[] = [
  {
    key: 'entrusted',
    items: [
      { key: 'carer_present', label: 'campaign.preset.entrusted.carer' },
      { key: 'letter_signed', label: 'campaign.preset.entrusted.letter' },
      { key: 'parent_contact', label: 'campaign.preset.entrusted.contact' },
      { key: 'school_attendance', label: 'campaign.preset.entrusted.school' },
    ],
  },
  {
    key: 'unsupported',
    items: [
      { key: 'guardian_in_place', label: 'campaign.preset.unsupported.guardian' },
      { key: 'allowance_paid', label: 'campaign.preset.unsupported.allowance' },
      { key: 'safe_housing', label: 'campaign.preset.unsupported.housing' },
      { key: 'school_attendance', label: 'campaign.preset.unsupported.school' },
    ],
  },
  {
    key: 'vacation',
    items: [
      { key: 'supervised', label: 'campaign.preset.vacation.supervised' },
      { key: 'drowning_talk', label: 'campaign.preset.vacation.drowning' },
      { key: 'carer_aware', label: 'campaign.preset.vacation.carerAware' },
      { key: 'safe_housing', label: 'campaign.preset.vacation.home' },
    ],
  },
];
const PRESET_NAME: Record<Preset['key'], MessageKey> = {
  entrusted: 'campaign.preset.entrusted',
  unsupported: 'campaign.preset.unsupported',
  vacation: 'campaign.preset.vacation',
};

interface ChecklistRow {
  /** Kept from a template; items typed in get item_1, item_2 … */
  key?: string;
  label: string;
}
interface FormValues {
  name: string;
  regionCode: string;
  startDate: Dayjs;
  endDate: Dayjs;
  categories: CampaignInput['categories'];
  checklist: ChecklistRow[];
}

/** Stable keys for the answers: a template's own, otherwise item_N, never twice. */
function checklistOf(rows: ChecklistRow[]): CampaignInput['checklist'] {
  const used = new Set<string>();
  let n = 0;
  return rows.map((row) => {
    let key = row.key && !used.has(row.key) ? row.key : '';
    while (!key || used.has(key)) key = `item_${++n}`;
    used.add(key);
    return { key, label: row.label.trim() };
  });
}

function NewCampaignDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateCampaign();
  const regionCode = Form.useWatch('regionCode', form);
  const categories = Form.useWatch('categories', form) ?? [];
  const preview = useCampaignPreview(regionCode, categories);
  const today = dayjs(chinaToday());

  const applyPreset = (preset: Preset) =>
    form.setFieldsValue({
      checklist: preset.items.map((item) => ({ key: item.key, label: t(item.label) })),
      ...(form.getFieldValue('name') ? {} : { name: `${today.year()} ${t(PRESET_NAME[preset.key])}` }),
    });

  const onFinish = (values: FormValues) => {
    const input: CampaignInput = {
      name: values.name.trim(),
      regionCode: values.regionCode,
      startDate: values.startDate.format('YYYY-MM-DD'),
      endDate: values.endDate.format('YYYY-MM-DD'),
      categories: values.categories ?? [],
      checklist: checklistOf(values.checklist),
    };
    create.mutate(input, {
      onSuccess: (campaign) => {
        void message.success(t('campaign.form.created', { count: campaign.tasks }));
        form.resetFields();
        onClose();
        void navigate(`/campaigns/${campaign.id}`);
      },
      onError: (error) => showError(error, { instance: form, fields: ['name', 'regionCode', 'startDate', 'endDate', 'categories', 'checklist'] }),
    });
  };

  const previewText =
    regionCode === undefined ? (
      <Typography.Text type="secondary">{t('campaign.form.previewPending')}</Typography.Text>
    ) : preview.data === undefined ? null : preview.data.children === 0 ? (
      <Alert type="warning" showIcon message={t('campaign.form.previewNone')} />
    ) : (
      <Alert type="info" showIcon message={t('campaign.form.preview', { count: preview.data.children })} />
    );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('campaign.form.title')}
      width={screens.md ? 560 : '100%'}
      destroyOnHidden
      footer={
        <Space className="campaign-form-footer">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="campaign-submit">
            {t('campaign.form.submit')}
          </Button>
        </Space>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={{ categories: [], checklist: PRESETS[0]!.items.map((item) => ({ key: item.key, label: t(item.label) })), startDate: today, endDate: today.add(1, 'month') }}
        data-testid="campaign-form"
      >
        <Form.Item name="name" label={t('campaign.form.name')} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('campaign.form.nameRequired') }]}>
          <Input placeholder={t('campaign.form.namePlaceholder')} maxLength={100} data-testid="campaign-name" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('campaign.form.region')} rules={[{ required: true, message: t('campaign.form.regionRequired') }]}>
          <RegionTreeSelect placeholder={t('campaign.form.regionPlaceholder')} className="campaign-region-select" id="campaign-region" />
        </Form.Item>
        <div className="campaign-dates">
          <Form.Item name="startDate" label={t('campaign.form.startDate')} rules={[{ required: true, message: t('campaign.form.dateRequired') }]} className="campaign-date">
            <DatePicker allowClear={false} inputReadOnly data-testid="campaign-start" />
          </Form.Item>
          <Form.Item
            name="endDate"
            label={t('campaign.form.endDate')}
            dependencies={['startDate']}
            className="campaign-date"
            rules={[
              { required: true, message: t('campaign.form.dateRequired') },
              ({ getFieldValue }) => ({
                validator: (_, value: Dayjs | undefined) => {
                  const start = getFieldValue('startDate') as Dayjs | undefined;
                  return value && start && value.isBefore(start, 'day') ? Promise.reject(new Error(t('campaign.form.endBeforeStart'))) : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker allowClear={false} inputReadOnly disabledDate={(d) => d.isBefore(today, 'day')} data-testid="campaign-end" />
          </Form.Item>
        </div>
        <Form.Item name="categories" label={t('campaign.form.categories')} extra={t('campaign.form.categoriesHelp')}>
          <Checkbox.Group options={CATEGORIES.map((value) => ({ value, label: enumLabel(t, 'category', value) }))} data-testid="campaign-categories" />
        </Form.Item>
        <Form.Item label={t('campaign.form.checklist')} extra={t('campaign.form.checklistHelp')} className="campaign-checklist-item">
          <div className="campaign-presets">
            <Typography.Text type="secondary">{t('campaign.form.preset')}</Typography.Text>
            {PRESETS.map((preset) => (
              <Button key={preset.key} size="small" onClick={() => applyPreset(preset)} data-testid={`campaign-preset-${preset.key}`}>
                {t(PRESET_NAME[preset.key])}
              </Button>
            ))}
          </div>
          <Form.List
            name="checklist"
            rules={[{ validator: (_, rows: ChecklistRow[] | undefined) => (rows && rows.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('campaign.form.checklistRequired')))) }]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field, index) => (
                  <div key={field.key} className="campaign-checklist-row">
                    <Typography.Text type="secondary" className="campaign-checklist-number">
                      {index + 1}.
                    </Typography.Text>
                    <Form.Item name={[field.name, 'label']} rules={[{ required: true, whitespace: true, max: 100, message: t('campaign.form.itemRequired') }]} noStyle>
                      <Input placeholder={t('campaign.form.itemPlaceholder')} maxLength={100} data-testid="campaign-checklist-input" />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} aria-label={t('campaign.form.removeItem')} onClick={() => remove(field.name)} />
                  </div>
                ))}
                {fields.length < 20 ? (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: '' })} block data-testid="campaign-add-item">
                    {t('campaign.form.addItem')}
                  </Button>
                ) : null}
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </Form.Item>
        <div data-testid="campaign-preview">{previewText}</div>
      </Form>
    </Drawer>
  );
}

// ---------------------------------------------------------------- list

export function CampaignsPage() {
  const t = useT();
  const me = useSession();
  const list = useListParams();
  const { params } = list;
  const statusParam = params.get('status');
  const status = STATUSES.find((s) => s === statusParam);
  const campaigns = useCampaigns({ status, page: list.page, pageSize: list.pageSize });
  const canManage = hasPermission(me, 'campaign.manage');
  const [creating, setCreating] = useState(params.get('new') === '1');

  const columns: RecordColumn<CampaignRecord>[] = [
    {
      title: t('campaign.col.name'),
      dataIndex: 'name',
      render: (name: string, campaign) => (
        <Link to={`/campaigns/${campaign.id}`} data-testid="campaign-link">
          {name}
        </Link>
      ),
    },
    { title: t('campaign.col.region'), key: 'region', render: (_: unknown, campaign) => campaign.region.name },
    { title: t('campaign.col.period'), key: 'period', render: (_: unknown, campaign) => `${campaign.startDate} ~ ${campaign.endDate}` },
    { title: t('campaign.col.categories'), dataIndex: 'categories', render: (categories: string[]) => categoriesText(t, categories) },
    { title: t('campaign.col.status'), dataIndex: 'status', render: (value: Status) => <CampaignStatusTag status={value} /> },
    { title: t('campaign.col.progress'), key: 'progress', width: 220, render: (_: unknown, campaign) => <TaskProgress done={campaign.done} tasks={campaign.tasks} size="small" /> },
    {
      title: t('campaign.col.problems'),
      dataIndex: 'problems',
      align: 'right',
      render: (problems: number) => (problems > 0 ? <Typography.Text type="danger">{problems}</Typography.Text> : problems),
    },
    { title: t('campaign.col.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at) },
  ];

  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={canManage && status === undefined ? t('campaign.emptyHint') : t('campaign.empty')} data-testid="campaigns-empty" />;

  return (
    <div className="campaigns-page">
      <PageHeader
        title={t('campaign.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-new">
              {t('campaign.new')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <Segmented<string>
          className="campaign-status-filter"
          value={status ?? 'all'}
          onChange={(value) => list.filter({ status: value === 'all' ? undefined : value })}
          options={[
            { value: 'all', label: t('campaign.filter.all') },
            { value: 'open', label: t('campaign.status.open') },
            { value: 'closed', label: t('campaign.status.closed') },
          ]}
          data-testid="campaign-status-filter"
        />
        <RecordTable<CampaignRecord>
          testId="campaigns-table"
          cardsTestId="campaigns-list"
          columns={columns}
          query={campaigns}
          list={list}
          showSizeChanger
          renderCard={(campaign) => <CampaignCard campaign={campaign} />}
          empty={empty}
        />
      </Card>
      {canManage ? <NewCampaignDrawer open={creating} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
