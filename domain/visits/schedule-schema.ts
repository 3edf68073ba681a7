/**
 * The child's risk and schedule as the API shows them. Kept apart from
 * schema.ts so that the child file's contract (domain/children/schema.ts) can
 * include it without an import cycle (schema.ts imports the child file's).
 */
import { z } from 'zod';
import { RISK_FACTORS, RISK_LEVELS } from './risk.js';
import { PRIORITY_GROUPS, VISIT_STATES } from './schedule.js';

export const RiskOverride = z.object({ level: z.enum(RISK_LEVELS), reason: z.string(), by: z.string(), at: z.string() });

/** The child's risk and schedule as the child page shows them. */
export const ChildSchedule = z.object({
  risk: z.object({
    level: z.enum(RISK_LEVELS),
    derived: z.enum(RISK_LEVELS),
    factors: z.array(z.enum(RISK_FACTORS)),
    override: RiskOverride.nullable(),
  }),
  priorityGroups: z.array(z.enum(PRIORITY_GROUPS)),
  intervalDays: z.number().int(),
  /** While the child was never visited: the days from registration the first visit is due in; null once visited. */
  firstVisitDays: z.number().int().nullable(),
  lastVisitDate: z.string().nullable(),
  lastSeenDate: z.string().nullable(),
  nextDue: z.string(),
  state: z.enum(VISIT_STATES),
  /** Consecutive latest visits in which the child was not seen in person. */
  unseenStreak: z.number().int(),
});
export type ChildSchedule = z.infer<typeof ChildSchedule>;
