import { Tag, Typography } from 'antd';
import type { VacationWindow } from '../../../domain/visits/vacation.js';
import { useT } from './i18n/index.js';

/** 2026年暑假 2026-07-01 — 2026-08-31 · 已结束: the vacation whose home visits are counted (domain/visits/vacation.ts). */
export function VacationLabel({ vacation }: { vacation: VacationWindow }) {
  const t = useT();
  return (
    <span className="vacation-label" data-testid="vacation-label">
      <Typography.Text strong>{t(vacation.season === 'winter' ? 'vacation.winter' : 'vacation.summer', { year: vacation.year })}</Typography.Text>{' '}
      <Typography.Text type="secondary">{t('vacation.range', { from: vacation.from, to: vacation.to })}</Typography.Text>{' '}
      <Tag color={vacation.inProgress ? 'green' : 'default'}>{t(vacation.inProgress ? 'vacation.inProgress' : 'vacation.ended')}</Tag>
    </span>
  );
}
