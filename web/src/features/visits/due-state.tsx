/**
 * A visit due date in words, the same on every page (child page, children
 * list, work lists, home): 逾期 N 天 / 今天到期 / N 天后到期 / 正常. The words
 * come from dueLabel (domain/visits/schedule.ts), worked out here with today's
 * date so that a page left open overnight still tells the truth in the morning.
 */
import { Tag, Typography } from 'antd';
import { DEFAULT_SCHEDULE_SETTINGS, dueLabel, type DueLabel, type VisitState } from '../../../../domain/visits/schedule.js';
import { useScheduleSettings } from './api.js';
import { useT, type Translate } from './strings.js';
import { todayInChina } from './visit-values.js';

const STATE_COLOURS: Record<VisitState, string> = { overdue: 'red', due_soon: 'orange', ok: 'green' };

/** The label's words: the one place they are chosen. */
export function dueLabelText(t: Translate, label: DueLabel): string {
  switch (label.key) {
    case 'overdue':
      return t('schedule.due.overdue', { days: label.days });
    case 'due_today':
      return t('schedule.due.today');
    case 'due_in':
      return t('schedule.due.in', { days: label.days });
    case 'ok':
      return t('schedule.due.ok');
  }
}

/** The due label of a date today, with the stored due-soon window. */
export function useDueLabel(nextDue: string, today: string = todayInChina()): DueLabel {
  const settings = useScheduleSettings();
  return dueLabel(nextDue, today, settings.data ?? DEFAULT_SCHEDULE_SETTINGS);
}

/** As a tag: the child page's schedule card and the children list. */
export function VisitStateTag({ nextDue, today }: { nextDue: string; today?: string }) {
  const t = useT();
  const label = useDueLabel(nextDue, today);
  return (
    <Tag color={STATE_COLOURS[label.state]} className="child-tag" data-testid="visit-state" data-state={label.state} data-due={label.key}>
      {dueLabelText(t, label)}
    </Tag>
  );
}

/** As text: the work lists, where a date on schedule shows itself instead of 正常. */
export function DueText({ nextDue }: { nextDue: string }) {
  const t = useT();
  const label = useDueLabel(nextDue);
  if (label.key === 'overdue') {
    return (
      <Typography.Text type="danger" strong data-testid="worklist-overdue-days" data-due={label.key}>
        {dueLabelText(t, label)}
      </Typography.Text>
    );
  }
  if (label.key === 'ok') {
    return (
      <Typography.Text type="secondary" data-testid="worklist-due" data-due={label.key}>
        {t('worklist.dueOn', { date: nextDue })}
      </Typography.Text>
    );
  }
  return (
    <Typography.Text style={{ color: '#d46b08' }} data-testid="worklist-due" data-due={label.key}>
      {dueLabelText(t, label)}
    </Typography.Text>
  );
}
