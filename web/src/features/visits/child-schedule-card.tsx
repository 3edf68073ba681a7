/**
 * The child's visit schedule on the child page: risk level with its factors
 * and any override, last visit, next due date and its state (VisitStateTag:
 * the same words as every list).
 */
import { EditOutlined, FormOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { RISK_LEVELS, type RiskLevel } from '../../../../domain/visits/risk.js';
import type { ChildSchedule } from '../../../../domain/visits/schema.js';
import { useOverrideRisk } from './api.js';
import { useT } from './strings.js';
import { formatDateTime } from '../../shared/format.js';
import { RiskTag } from '../children/public.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { ChoiceButtons, type Choice } from './visit-choices.js';
import { VisitStateTag } from './due-state.js';
import { scheduleLabel } from '../../shared/i18n/visit-labels.js';

type LevelChoice = RiskLevel | 'derived';

function RiskOverrideModal({ childId, schedule, open, onClose }: { childId: string; schedule: ChildSchedule; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const override = useOverrideRisk(childId);
  const [form] = Form.useForm<{ level: LevelChoice; reason: string }>();
  const choices: Choice<LevelChoice>[] = [
    ...RISK_LEVELS.map((level): Choice<LevelChoice> => ({ value: level, label: scheduleLabel(t, 'level', level), tone: level === 'urgent' ? 'danger' : undefined })),
    ...(schedule.risk.override ? [{ value: 'derived' as const, label: t('schedule.overrideClear') }] : []),
  ];
  const submit = (values: { level: LevelChoice; reason: string }) => {
    override.mutate(
      { level: values.level === 'derived' ? null : values.level, reason: values.reason.trim() },
      {
        onSuccess: () => {
          void message.success(t('schedule.overrideDone'));
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: ['level', 'reason'] }),
      },
    );
  };
  return (
    <Modal
      open={open}
      title={t('schedule.overrideTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: override.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('schedule.overrideDerived', { level: scheduleLabel(t, 'level', schedule.risk.derived) })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ level: schedule.risk.level }}>
        <Form.Item name="level" label={t('schedule.overrideLevel')} rules={[{ required: true, message: t('schedule.overrideLevel') }]}>
          <ChoiceButtons choices={choices} layout="grid" testId="risk-override-level" />
        </Form.Item>
        <Form.Item name="reason" label={t('schedule.overrideReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('schedule.overrideReasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ChildScheduleCardProps {
  childId: string;
  schedule: ChildSchedule;
  /** The "记录走访" button (the user may record visits and the file is open). */
  canRecord: boolean;
  canOverride: boolean;
}

export function ChildScheduleCard({ childId, schedule, canRecord, canOverride }: ChildScheduleCardProps) {
  const t = useT();
  const [overriding, setOverriding] = useState(false);
  const { risk } = schedule;
  return (
    <Card size="small" className="schedule-card" data-testid="schedule-card">
      <div className="schedule-top">
        <div className="schedule-facts">
          <div className="schedule-line">
            <Typography.Text type="secondary">{t('schedule.nextDue')}</Typography.Text>
            <Typography.Text strong data-testid="schedule-next-due">
              {schedule.nextDue}
            </Typography.Text>
            <VisitStateTag nextDue={schedule.nextDue} />
          </div>
          <div className="schedule-line">
            <Typography.Text type="secondary">{t('schedule.lastVisit')}</Typography.Text>
            <Typography.Text data-testid="schedule-last-visit">{schedule.lastVisitDate ?? t('schedule.never')}</Typography.Text>
          </div>
        </div>
        {canRecord ? (
          <Link to={`/children/${childId}/visits/new`} className="schedule-record">
            <Button type="primary" size="large" icon={<FormOutlined />} block data-testid="record-visit">
              {t('visit.record')}
            </Button>
          </Link>
        ) : null}
      </div>
      <div className="schedule-line">
        <Typography.Text type="secondary">{t('schedule.risk')}</Typography.Text>
        <RiskTag risk={risk.level} />
        {risk.factors.length === 0 ? (
          <Typography.Text type="secondary">{t('schedule.noFactors')}</Typography.Text>
        ) : (
          risk.factors.map((factor) => (
            <Tag key={factor} className="child-tag" bordered={false} color="volcano">
              {scheduleLabel(t, 'factor', factor)}
            </Tag>
          ))
        )}
        {canOverride ? (
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setOverriding(true)} data-testid="risk-override">
            {t('schedule.override')}
          </Button>
        ) : null}
      </div>
      {risk.override ? (
        <Alert
          type="warning"
          showIcon
          className="schedule-override"
          message={t('schedule.overridden', { level: scheduleLabel(t, 'level', risk.override.level), derived: scheduleLabel(t, 'level', risk.derived) })}
          description={t('schedule.overrideBy', { by: risk.override.by, at: formatDateTime(risk.override.at), reason: risk.override.reason })}
        />
      ) : null}
      <Typography.Text type="secondary" className="schedule-rule">
        <Space size={4} wrap>
          {schedule.firstVisitDays !== null ? <span data-testid="schedule-first-visit">{t('schedule.firstVisit', { days: schedule.firstVisitDays })} ·</span> : null}
          <span>{t('schedule.interval', { days: schedule.intervalDays })}</span>
          {schedule.priorityGroups.length > 0 ? (
            <span>· {t('schedule.priority', { groups: schedule.priorityGroups.map((group) => scheduleLabel(t, 'group', group)).join('、') })}</span>
          ) : null}
        </Space>
      </Typography.Text>
      {schedule.unseenStreak >= 2 ? (
        <Typography.Text type="danger" className="schedule-rule">
          {t('schedule.unseen', { count: schedule.unseenStreak })}
        </Typography.Text>
      ) : null}
      {canOverride ? <RiskOverrideModal childId={childId} schedule={schedule} open={overriding} onClose={() => setOverriding(false)} /> : null}
    </Card>
  );
}
