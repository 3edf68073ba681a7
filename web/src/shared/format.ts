import { chinaDateTime, chinaToday } from '../../../domain/china-time.js';

/**
 * An instant (UTC ISO) as the users read it: China time (Asia/Shanghai), the
 * same 'YYYY-MM-DD HH:mm' as the server's workbooks, whatever the browser's
 * own time zone (a laptop set to UTC must not show a visit at 01:30 as 17:30
 * of the day before).
 */
export function formatDateTime(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  return chinaDateTime(iso);
}

/** Today in China (YYYY-MM-DD), for defaults and limits of date fields. */
export const todayChina = (): string => chinaToday();

/** 怀化市 / 鹤城区 / 青西街道: the deployment is one city, so the province is left out. */
export function regionPathLabel(path: readonly { name: string; level: string }[]): string {
  return path
    .filter((region) => region.level !== 'province')
    .map((region) => region.name)
    .join(' / ');
}
