import dayjs from 'dayjs';

/** An instant (UTC ISO) in the browser's local time. */
export function formatDateTime(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const value = dayjs(iso);
  return value.isValid() ? value.format('YYYY-MM-DD HH:mm') : iso;
}

/** 怀化市 / 鹤城区 / 青西街道: the deployment is one city, so the province is left out. */
export function regionPathLabel(path: readonly { name: string; level: string }[]): string {
  return path
    .filter((region) => region.level !== 'province')
    .map((region) => region.name)
    .join(' / ');
}
