/**
 * Offline field work (issue 15, DESIGN §9): what a director's phone keeps for a
 * day without signal, and the key that locks it. The API contract of
 * server/features/offline/.
 */
import { z } from 'zod';
import { RegionCode, RegionRef } from '../api.js';
import { ChildDetail } from '../children/schema.js';
import { ReferralRow } from '../referrals/schema.js';
import { ReportRow } from '../reports/schema.js';
import { ScheduleSettingsSchema, VisitRecord } from '../visits/schema.js';

/** A supervisor (or an administrator) names at most this many villages to keep on the phone. */
export const MAX_OFFLINE_VILLAGES = 10;
/** The last visits of each child the phone keeps (as the visit detail shows them). */
export const OFFLINE_VISITS_PER_CHILD = 3;
/** The phone wipes its copy when its user has not signed in for this many days (setting `offline`). */
export const DEFAULT_MAX_OFFLINE_DAYS = 14;

export const OfflineSettings = z.object({ maxOfflineDays: z.number().int().min(1).max(90) });
export type OfflineSettings = z.infer<typeof OfflineSettings>;
export const DEFAULT_OFFLINE_SETTINGS: OfflineSettings = { maxOfflineDays: DEFAULT_MAX_OFFLINE_DAYS };

/**
 * `villages`: comma-separated village codes. A director may leave it out (his
 * village); whoever's scope is larger names 1..MAX_OFFLINE_VILLAGES villages of it.
 */
export const WorkingSetQuery = z.object({
  villages: z
    .string()
    .trim()
    .max(MAX_OFFLINE_VILLAGES * 13 + 20)
    .optional()
    .transform((v) => (v ? [...new Set(v.split(',').map((c) => c.trim()).filter((c) => c !== ''))] : []))
    .pipe(z.array(RegionCode)),
});
export type WorkingSetQuery = z.infer<typeof WorkingSetQuery>;

/** One child as the child page shows it (numbers masked; `version` the edit's optimistic version) and his last visits, newest first. */
export const OfflineChild = z.object({
  child: ChildDetail,
  visits: z.array(VisitRecord),
});
export type OfflineChild = z.infer<typeof OfflineChild>;

/** One village: its open files (not closed), and its open mandatory reports and open referrals as their list rows. */
export const OfflineVillage = z.object({
  region: RegionRef,
  children: z.array(OfflineChild),
  reports: z.array(ReportRow),
  referrals: z.array(ReferralRow),
});
export type OfflineVillage = z.infer<typeof OfflineVillage>;

export const WorkingSet = z.object({
  /** When the server read it: the phone shows its age and refreshes whenever online. */
  generatedAt: z.string(),
  villages: z.array(OfflineVillage),
  /** What the visit form and the schedule card compute with (the rest of the form's choices are in domain/visits). */
  scheduleSettings: ScheduleSettingsSchema,
  maxOfflineDays: z.number().int(),
});
export type WorkingSet = z.infer<typeof WorkingSet>;

/**
 * The key that encrypts the phone's copy (WebCrypto AES-GCM, 256 bits, raw,
 * base64). The same for the whole session; a new session gets a new one, and
 * it is gone with the session (sign-out, expiry), so a lost phone's copy cannot
 * be read once the session is over.
 */
export const OfflineKey = z.object({
  key: z.string(),
  algorithm: z.literal('AES-GCM'),
  /** When the session (and so the key) ends at the latest. */
  expiresAt: z.string(),
  maxOfflineDays: z.number().int(),
});
export type OfflineKey = z.infer<typeof OfflineKey>;
