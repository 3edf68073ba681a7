/**
 * The stored settings several features compute with (the visit schedule, the
 * category thresholds, how long a phone keeps its offline copy), each with its defaults from domain/ for what was never set.
 */
import { type CategorySettings, DEFAULT_CATEGORY_SETTINGS } from '../../../domain/children/facts.js';
import { DEFAULT_OFFLINE_SETTINGS, type OfflineSettings } from '../../../domain/offline/schema.js';
import { DEFAULT_SCHEDULE_SETTINGS, type ScheduleSettings } from '../../../domain/visits/schedule.js';
import type { Db } from '../../db/database.js';
import { readSetting } from '../settings/settings.repository.js';

export async function scheduleSettings(db: Db): Promise<ScheduleSettings> {
  const stored = (await readSetting<Partial<ScheduleSettings>>(db, 'visit_schedule')) ?? {};
  return { ...DEFAULT_SCHEDULE_SETTINGS, ...stored, intervalDays: { ...DEFAULT_SCHEDULE_SETTINGS.intervalDays, ...(stored.intervalDays ?? {}) } };
}

export async function categorySettings(db: Db): Promise<CategorySettings> {
  return { ...DEFAULT_CATEGORY_SETTINGS, ...((await readSetting<Partial<CategorySettings>>(db, 'categories')) ?? {}) };
}

export async function offlineSettings(db: Db): Promise<OfflineSettings> {
  return { ...DEFAULT_OFFLINE_SETTINGS, ...((await readSetting<Partial<OfflineSettings>>(db, 'offline')) ?? {}) };
}
