import { App, Button, Card, Form, InputNumber, Result, Skeleton, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_CATEGORY_SETTINGS, type CategorySettings } from '../../../../domain/children/facts.js';
import { CategorySettingsSchema } from '../../../../domain/children/schema.js';
import { fetchLatestCategorySettings, useCategorySettings, useUpdateCategorySettings } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { PageHeader } from '../../shared/page-header.js';
import { useScheduleSettings } from '../visits/api.js';
import { useT, type MessageKey } from './strings.js';
import { VisitScheduleForm } from './visit-schedule-settings.js';
import { SettingsButtons } from './settings-buttons.js';

type SettingName = keyof CategorySettings;

interface SettingField {
  name: SettingName;
  label: MessageKey;
  help: MessageKey;
  unit: MessageKey;
}

const LEFT_BEHIND_FIELDS: readonly SettingField[] = [
  { name: 'leftBehindMinAbsenceMonths', label: 'settings.field.leftBehindMinAbsenceMonths', help: 'settings.help.leftBehindMinAbsenceMonths', unit: 'settings.unit.months' },
  { name: 'leftBehindMaxAge', label: 'settings.field.leftBehindMaxAge', help: 'settings.help.leftBehindMaxAge', unit: 'settings.unit.years' },
];
const UNSUPPORTED_FIELDS: readonly SettingField[] = [
  { name: 'unsupportedMinMonths', label: 'settings.field.unsupportedMinMonths', help: 'settings.help.unsupportedMinMonths', unit: 'settings.unit.months' },
];
const FIELDS = [...LEFT_BEHIND_FIELDS, ...UNSUPPORTED_FIELDS];
const FIELD_NAMES: readonly string[] = FIELDS.map((field) => field.name);

/** The bounds the server accepts, read from the shared zod schema so the two cannot drift apart. */
function boundsOf(name: SettingName): { min: number; max: number } {
  const schema = CategorySettingsSchema.shape[name];
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

function sameSettings(a: CategorySettings, b: CategorySettings): boolean {
  return FIELDS.every(({ name }) => a[name] === b[name]);
}

function SettingInput({ field }: { field: SettingField }) {
  const t = useT();
  const { min, max } = boundsOf(field.name);
  const label = t(field.label);
  return (
    <Form.Item
      name={field.name}
      label={label}
      extra={t(field.help, { default: DEFAULT_CATEGORY_SETTINGS[field.name], min, max })}
      rules={[
        { required: true, message: t('settings.required', { field: label }) },
        {
          validator: (_, value: unknown) =>
            value === null || value === undefined || CategorySettingsSchema.shape[field.name].safeParse(value).success
              ? Promise.resolve()
              : Promise.reject(new Error(t('settings.range', { min, max }))),
        },
      ]}
    >
      <InputNumber<number> min={min} max={max} precision={0} addonAfter={t(field.unit)} style={{ width: 200 }} data-testid={`setting-${field.name}`} />
    </Form.Item>
  );
}

/** The form over the thresholds as loaded; remounted (by key) whenever the stored thresholds change. */
function SettingsForm({ loaded }: { loaded: CategorySettings }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const update = useUpdateCategorySettings();
  const [form] = Form.useForm<CategorySettings>();
  const values = Form.useWatch([], form) as Partial<CategorySettings> | undefined;
  const changed = FIELDS.filter(({ name }) => values?.[name] !== undefined && values[name] !== loaded[name]);
  const unitOf = (field: SettingField, value: number) => `${value} ${t(field.unit)}`;

  /**
   * The API has no version: just before saving, the stored thresholds are read
   * again, and a change by someone else since this page loaded stops the save.
   */
  const save = async (next: CategorySettings) => {
    try {
      const latest = await fetchLatestCategorySettings(queryClient);
      if (!sameSettings(latest, loaded)) {
        modal.warning({ title: t('settings.conflict.title'), content: t('settings.conflict.body'), okText: t('common.ok') });
        return;
      }
      await update.mutateAsync(next);
      void message.success(t('settings.saved'));
    } catch (error) {
      showError(error, { instance: form, fields: FIELD_NAMES });
    }
  };

  const confirm = (next: CategorySettings) => {
    modal.confirm({
      title: t('settings.confirm.title'),
      width: 520,
      content: (
        <div data-testid="settings-confirm">
          <ul>
            {changed.map((field) => (
              <li key={field.name}>
                {t('settings.confirm.change', { field: t(field.label), from: unitOf(field, loaded[field.name]), to: unitOf(field, next[field.name]) })}
              </li>
            ))}
          </ul>
          <Typography.Paragraph>{t('settings.confirm.body')}</Typography.Paragraph>
        </div>
      ),
      okText: t('settings.confirm.ok'),
      cancelText: t('common.cancel'),
      onOk: () => save(next),
    });
  };

  return (
    <Form<CategorySettings> form={form} layout="vertical" initialValues={loaded} onFinish={confirm} requiredMark={false} data-testid="settings-form">
      <Space direction="vertical" size={16} className="full-width">
        <Card size="small" title={t('settings.section.leftBehind')}>
          <Typography.Paragraph type="secondary">{t('settings.section.leftBehind.help')}</Typography.Paragraph>
          {LEFT_BEHIND_FIELDS.map((field) => (
            <SettingInput key={field.name} field={field} />
          ))}
        </Card>
        <Card size="small" title={t('settings.section.unsupported')}>
          <Typography.Paragraph type="secondary">{t('settings.section.unsupported.help')}</Typography.Paragraph>
          {UNSUPPORTED_FIELDS.map((field) => (
            <SettingInput key={field.name} field={field} />
          ))}
        </Card>
        <SettingsButtons onDefaults={() => form.setFieldsValue(DEFAULT_CATEGORY_SETTINGS)} onUndo={() => form.resetFields()} changed={changed.length > 0} saving={update.isPending} testId="settings" />
      </Space>
    </Form>
  );
}

/** The thresholds of the category rules (DESIGN §3) and the visit frequency (§4), for the roles that may change them. */
export function SettingsPage() {
  const t = useT();
  const settings = useCategorySettings();
  const schedule = useScheduleSettings();
  const loaded = settings.data;
  return (
    <div className="settings-page" style={{ maxWidth: 760 }}>
      <PageHeader title={t('settings.pageTitle')}>
        <Typography.Paragraph type="secondary">{t('settings.intro')}</Typography.Paragraph>
      </PageHeader>
      {settings.isPending ? (
        <Card size="small">
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : settings.isError ? (
        <Result
          status="warning"
          title={t('common.loadFailed')}
          subTitle={settings.error.message}
          extra={
            <Button type="primary" onClick={() => void settings.refetch()}>
              {t('common.retry')}
            </Button>
          }
        />
      ) : loaded ? (
        <SettingsForm key={JSON.stringify(loaded)} loaded={loaded} />
      ) : null}
      <div style={{ marginTop: 16 }}>
        {schedule.isPending ? (
          <Card size="small">
            <Skeleton active paragraph={{ rows: 6 }} />
          </Card>
        ) : schedule.isError ? (
          <Result status="warning" title={t('common.loadFailed')} subTitle={schedule.error.message} extra={<Button onClick={() => void schedule.refetch()}>{t('common.retry')}</Button>} />
        ) : (
          <VisitScheduleForm key={JSON.stringify(schedule.data)} loaded={schedule.data} />
        )}
      </div>
    </div>
  );
}
