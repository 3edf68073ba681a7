/**
 * The visit intervals (走访频次, DESIGN §4) on the settings page: days between
 * visits per risk level, the priority groups' maximum, the due-soon window and
 * the days a newly registered child waits at most for a first visit.
 * Saved after a confirmation that lists the changes; the server then
 * recomputes every open file's due date in the background.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Card, Form, InputNumber, Typography } from 'antd';
import { DEFAULT_SCHEDULE_SETTINGS, type ScheduleSettings } from '../../../../domain/visits/schedule.js';
import { ScheduleSettingsSchema } from '../../../../domain/visits/schema.js';
import { RISK_LEVELS, type RiskLevel } from '../../../../domain/visits/risk.js';
import { fetchLatestScheduleSettings, useUpdateScheduleSettings } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { SettingsButtons } from './settings-buttons.js';
import { useT, type MessageKey } from './strings.js';

/** The form's flat fields (the API nests the intervals under intervalDays). */
type Flat = Record<RiskLevel, number> & { priorityMaxDays: number; dueSoonDays: number; firstVisitDays: number };
type FieldName = keyof Flat;
/** The fields kept at the top level of the settings (not per risk level). */
type TopField = 'priorityMaxDays' | 'dueSoonDays' | 'firstVisitDays';
const isTopField = (name: FieldName): name is TopField => name === 'priorityMaxDays' || name === 'dueSoonDays' || name === 'firstVisitDays';

const FIELDS: readonly { name: FieldName; label: MessageKey; help: MessageKey }[] = [
  ...RISK_LEVELS.slice()
    .reverse()
    .map((level) => ({ name: level, label: `scheduleSettings.field.${level}` as const, help: 'scheduleSettings.help.level' as const })),
  { name: 'priorityMaxDays', label: 'scheduleSettings.field.priorityMaxDays', help: 'scheduleSettings.help.priorityMaxDays' },
  { name: 'firstVisitDays', label: 'scheduleSettings.field.firstVisitDays', help: 'scheduleSettings.help.firstVisitDays' },
  { name: 'dueSoonDays', label: 'scheduleSettings.field.dueSoonDays', help: 'scheduleSettings.help.dueSoonDays' },
];

const flat = (s: ScheduleSettings): Flat => ({ ...s.intervalDays, priorityMaxDays: s.priorityMaxDays, dueSoonDays: s.dueSoonDays, firstVisitDays: s.firstVisitDays });
const nested = (f: Flat): ScheduleSettings => ({
  intervalDays: { urgent: f.urgent, high: f.high, medium: f.medium, low: f.low },
  priorityMaxDays: f.priorityMaxDays,
  dueSoonDays: f.dueSoonDays,
  firstVisitDays: f.firstVisitDays,
});
const same = (a: Flat, b: Flat) => FIELDS.every(({ name }) => a[name] === b[name]);

/** The bounds the server accepts, read from the shared zod schema. */
function boundsOf(name: FieldName): { min: number; max: number } {
  const schema = isTopField(name) ? ScheduleSettingsSchema.shape[name] : ScheduleSettingsSchema.shape.intervalDays.shape[name];
  return { min: schema.minValue ?? 1, max: schema.maxValue ?? 365 };
}

/** A more urgent level is visited at least as often as a less urgent one. */
function orderProblem(values: Partial<Flat>, name: FieldName): boolean {
  const index = (RISK_LEVELS as readonly string[]).indexOf(name);
  if (index < 0) return false;
  const value = values[name];
  if (value === undefined || value === null) return false;
  const lower = RISK_LEVELS.slice(0, index).map((l) => values[l]).filter((v): v is number => typeof v === 'number');
  const higher = RISK_LEVELS.slice(index + 1).map((l) => values[l]).filter((v): v is number => typeof v === 'number');
  // RISK_LEVELS runs from low to urgent: every more urgent level must not be longer.
  return lower.some((v) => v < value) || higher.some((v) => v > value);
}

export function VisitScheduleForm({ loaded }: { loaded: ScheduleSettings }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const update = useUpdateScheduleSettings();
  const [form] = Form.useForm<Flat>();
  const initial = flat(loaded);
  const values = Form.useWatch([], form) as Partial<Flat> | undefined;
  const changed = FIELDS.filter(({ name }) => values?.[name] !== undefined && values[name] !== initial[name]);
  const days = (n: number) => t('scheduleSettings.days', { n });

  const save = async (next: Flat) => {
    try {
      const latest = flat(await fetchLatestScheduleSettings(queryClient));
      if (!same(latest, initial)) {
        modal.warning({ title: t('scheduleSettings.conflict.title'), content: t('scheduleSettings.conflict.body'), okText: t('common.ok') });
        return;
      }
      await update.mutateAsync(nested(next));
      void message.success(t('scheduleSettings.saved'));
    } catch (error) {
      showError(error);
    }
  };

  const confirm = (next: Flat) => {
    modal.confirm({
      title: t('scheduleSettings.confirm.title'),
      width: 520,
      content: (
        <div data-testid="schedule-confirm">
          <ul>
            {changed.map((field) => (
              <li key={field.name}>{t('settings.confirm.change', { field: t(field.label), from: days(initial[field.name]), to: days(next[field.name]) })}</li>
            ))}
          </ul>
          <Typography.Paragraph>{t('scheduleSettings.confirm.body')}</Typography.Paragraph>
        </div>
      ),
      okText: t('scheduleSettings.confirm.ok'),
      cancelText: t('common.cancel'),
      onOk: () => save(next),
    });
  };

  return (
    <Form<Flat> form={form} layout="vertical" initialValues={initial} onFinish={confirm} requiredMark={false} data-testid="schedule-form">
      <Card size="small" title={t('scheduleSettings.title')}>
        <Typography.Paragraph type="secondary">{t('scheduleSettings.intro')}</Typography.Paragraph>
        {FIELDS.map((field) => {
          const { min, max } = boundsOf(field.name);
          const label = t(field.label);
          const fallback = isTopField(field.name) ? DEFAULT_SCHEDULE_SETTINGS[field.name] : DEFAULT_SCHEDULE_SETTINGS.intervalDays[field.name];
          return (
            <Form.Item
              key={field.name}
              name={field.name}
              label={label}
              extra={t(field.help, { default: fallback, min, max })}
              dependencies={RISK_LEVELS.filter((l) => l !== field.name)}
              rules={[
                { required: true, message: t('settings.required', { field: label }) },
                { type: 'integer', min, max, message: t('settings.range', { min, max }) },
                {
                  validator: (_, value: unknown) =>
                    typeof value === 'number' && orderProblem({ ...form.getFieldsValue(), [field.name]: value }, field.name) ? Promise.reject(new Error(t('scheduleSettings.order'))) : Promise.resolve(),
                },
              ]}
            >
              <InputNumber<number> min={min} max={max} precision={0} addonAfter={t('scheduleSettings.unit')} style={{ width: 200 }} data-testid={`schedule-${field.name}`} />
            </Form.Item>
          );
        })}
        <SettingsButtons onDefaults={() => form.setFieldsValue(flat(DEFAULT_SCHEDULE_SETTINGS))} onUndo={() => form.resetFields()} changed={changed.length > 0} saving={update.isPending} testId="schedule" />
      </Card>
    </Form>
  );
}
