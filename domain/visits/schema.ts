/** The API contract of visits, risk, schedules, work lists and verification campaigns (DESIGN §4). */
import { z } from 'zod';
import { RegionCode, RegionRef, paged } from '../api.js';
import { MISSING_FACTS } from '../children/facts-missing.js';
import { FileRef, IsoDate, SCHOOL_STATUSES, SEXES } from '../children/schema.js';
import { RISK_LEVELS, VISIT_FACTORS } from './risk.js';
import { VISIT_STATES } from './schedule.js';
import { VACATION_SEASONS } from './vacation.js';

const text = (max: number) => z.string().trim().max(max);

export const VISIT_KINDS = ['home', 'phone', 'school_vacation', 'key_verification', 'joint'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** Who was present besides the visitor. */
export const PRESENT_PEOPLE = ['child', 'father', 'mother', 'grandparent', 'relative', 'entrusted_carer', 'teacher', 'other'] as const;

/**
 * The structured checklist. A staff visit answers every item; each starts
 * unanswered on the form, so that nothing reads "fine" unless somebody said so
 * (a single 全部正常 tap answers them all, and is recorded as such:
 * checklistAllFine). A teacher's vacation visit is asked fewer
 * (VACATION_CHECKLIST_ITEMS). An item left out was not asked (未询问): it is
 * no information, neither "fine" nor a problem.
 */
export const CHECKLIST_ITEMS = ['safety', 'living_conditions', 'carer_care', 'schooling', 'health', 'emotional_state', 'needs'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export const CHECK_RATINGS = ['fine', 'concern', 'serious'] as const;
export type CheckRating = (typeof CHECK_RATINGS)[number];
export const ChecklistAnswer = z.object({ rating: z.enum(CHECK_RATINGS), note: text(500).nullish() });
export const Checklist = z.object(Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, ChecklistAnswer.optional()])) as Record<ChecklistItem, z.ZodOptional<typeof ChecklistAnswer>>);
export type Checklist = z.infer<typeof Checklist>;

/** What a teacher sees on a vacation home visit (寒暑假家访): the others are not asked. */
export const VACATION_CHECKLIST_ITEMS: readonly ChecklistItem[] = ['schooling', 'emotional_state', 'safety', 'needs'];

/** The items a visit of this kind must answer: all of them, but for a teacher's vacation visit. */
export const askedChecklistItems = (kind: VisitKind): readonly ChecklistItem[] => (kind === 'school_vacation' ? VACATION_CHECKLIST_ITEMS : CHECKLIST_ITEMS);

/** The items a visit of this kind must answer and did not, in the order they are asked. */
export function missingChecklistItems(kind: VisitKind, checklist: Checklist): ChecklistItem[] {
  return askedChecklistItems(kind).filter((item) => !checklist[item]);
}

/** The first item a visit of this kind must answer and did not, or null. */
export function missingChecklistItem(kind: VisitKind, checklist: Checklist): ChecklistItem | null {
  return missingChecklistItems(kind, checklist)[0] ?? null;
}

/** A checklist answered "all fine" in one tap must be fine on every item the kind asks. */
export function allFineHolds(kind: VisitKind, checklist: Checklist): boolean {
  return askedChecklistItems(kind).every((item) => checklist[item]?.rating === 'fine');
}

/** The items rated other than fine, most serious first; an item not asked is not among them. */
export function checklistConcerns(checklist: Checklist): { item: ChecklistItem; rating: Exclude<CheckRating, 'fine'> }[] {
  const out = CHECKLIST_ITEMS.flatMap((item) => {
    const rating = checklist[item]?.rating;
    return rating === undefined || rating === 'fine' ? [] : [{ item, rating }];
  });
  return out.sort((a, b) => (a.rating === b.rating ? 0 : a.rating === 'serious' ? -1 : 1));
}

/** Follow-up actions a visit asks for; reports, referrals and letters become records of their own with issue 5. */
export const FOLLOW_UP_KINDS = ['report', 'referral', 'letter', 'revisit', 'other'] as const;
export const FollowUp = z.object({ kind: z.enum(FOLLOW_UP_KINDS), note: text(500).nullish() });

/** Risk factors as a visit answers them: true seen, false checked and not seen; a factor left out was not checked. */
export const ObservedFactors = z.object(Object.fromEntries(VISIT_FACTORS.map((f) => [f, z.boolean().optional()])) as Record<(typeof VISIT_FACTORS)[number], z.ZodOptional<z.ZodBoolean>>);

export const VisitInput = z.object({
  /** Made by the client (UUIDv7) so that a resend after a lost signal records the visit once. */
  id: z.uuid().optional(),
  visitDate: IsoDate,
  kind: z.enum(VISIT_KINDS),
  seenInPerson: z.boolean(),
  present: z.array(z.enum(PRESENT_PEOPLE)).max(PRESENT_PEOPLE.length),
  checklist: Checklist,
  /** The checklist was answered with the single 全部正常 tap (a deliberate act, shown on the visit as 全部正常（一键）). */
  checklistAllFine: z.boolean().nullish(),
  factors: ObservedFactors,
  notes: text(2000).nullish(),
  followUps: z.array(FollowUp).max(10),
  /** Photos uploaded first (POST /api/children/:id/visit-photos), attached here. */
  photoIds: z.array(z.string().max(64)).max(9),
  /** A school contact's vacation visit: the pupil may drop out. */
  dropoutRisk: z.boolean().nullish(),
  /** Completing a key-verification task (重点核查). */
  campaignTaskId: z.string().max(64).nullish(),
  /** Answers to the campaign's own checklist, by item key. */
  campaignAnswers: z.record(z.string().max(40), z.object({ ok: z.boolean(), note: text(500).nullish() })).nullish(),
  gps: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).nullish(),
});
export type VisitInput = z.infer<typeof VisitInput>;

export const VisitCorrection = VisitInput.omit({ id: true, campaignTaskId: true }).extend({
  version: z.number().int(),
  /** Required once the 24 hours of the author's own corrections are over. */
  reason: text(500).nullish(),
});
export type VisitCorrection = z.infer<typeof VisitCorrection>;

/**
 * Suggestions a visit's findings give: a serious psychological concern or talk
 * of self-harm → refer to the township social-work station (or counselling);
 * signs of abuse → a mandatory report (强制报告, Minors Protection Law art. 11).
 */
export const VISIT_SUGGESTIONS = ['referral_social_work', 'mandatory_report'] as const;
export type VisitSuggestion = (typeof VISIT_SUGGESTIONS)[number];

export const Visitor = z.object({ id: z.string().nullable(), name: z.string(), role: z.string() });

export const VisitRecord = VisitInput.omit({ id: true, photoIds: true }).extend({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  region: RegionRef,
  visitor: Visitor,
  photos: z.array(FileRef),
  /** The due date in force when the visit was made, and whether it was met. */
  dueDate: z.string().nullable(),
  onTime: z.boolean().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  corrected: z.boolean(),
  /** Whether this actor may still correct it, and whether a reason is needed. */
  correction: z.enum(['author', 'supervisor', 'none']),
});
export type VisitRecord = z.infer<typeof VisitRecord>;
export const VisitPage = paged(VisitRecord);
export type VisitPage = z.infer<typeof VisitPage>;
/**
 * The answer to recording or correcting a visit: the stored visit, and what its
 * findings call for next (offered by the form; nothing is created by itself).
 */
export const RecordedVisit = VisitRecord.extend({
  suggestions: z.array(z.enum(VISIT_SUGGESTIONS)),
  /** With referral_social_work, for actors who may refer: the social-work station of the child's township (null when it has none). */
  referralTo: z.object({ organisationId: z.string(), name: z.string() }).nullable().optional(),
});
export type RecordedVisit = z.infer<typeof RecordedVisit>;
export const VisitListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export { ChildSchedule, RiskOverride } from './schedule-schema.js';

export const RiskOverrideInput = z.object({ level: z.enum(RISK_LEVELS).nullable(), reason: text(500).min(2) });
export type RiskOverrideInput = z.infer<typeof RiskOverrideInput>;

export const ScheduleSettingsSchema = z.object({
  intervalDays: z.object({
    urgent: z.number().int().min(1).max(60),
    high: z.number().int().min(1).max(120),
    medium: z.number().int().min(1).max(180),
    low: z.number().int().min(1).max(365),
  }),
  priorityMaxDays: z.number().int().min(1).max(90),
  dueSoonDays: z.number().int().min(1).max(30),
  /** A child never visited is due for a first visit this many days after registration (or import). */
  firstVisitDays: z.number().int().min(1).max(90),
});

// ---------------------------------------------------------------- school contacts' pupils (学校联络人)

export const PupilQuery = z.object({
  q: z.string().trim().max(50).optional(),
  grade: z.string().trim().min(1).max(20).optional(),
  /** 班级, as stored in the file (e.g. 2班). */
  class: z.string().trim().min(1).max(20).optional(),
  /** 'true': only the pupils without a vacation visit in the current vacation window (本假期未家访, domain/visits/vacation.ts). */
  notVisited: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type PupilQuery = z.infer<typeof PupilQuery>;

/** The school vacation the visits count for (domain/visits/vacation.ts). */
export const VacationWindowSchema = z.object({
  season: z.enum(VACATION_SEASONS),
  year: z.number().int(),
  from: z.string(),
  to: z.string(),
  inProgress: z.boolean(),
});

/** What the filters of the pupils page offer: the current vacation, and the grades and classes the school's pupils are in. */
export const PupilFacets = z.object({
  vacation: VacationWindowSchema,
  grades: z.array(z.string()),
  /** Of the chosen grade when one is given, else of all. */
  classes: z.array(z.string()),
});
export type PupilFacets = z.infer<typeof PupilFacets>;

/** The school contact's home: how many of the school's pupils are on the register, and how many still wait for a visit this vacation. */
export const PupilHome = z.object({
  vacation: VacationWindowSchema,
  pupils: z.number().int(),
  notVisited: z.number().int(),
});
export type PupilHome = z.infer<typeof PupilHome>;
/** What a school contact sees of a pupil in the register: enough to visit, nothing of the family file. */
export const PupilSummary = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  age: z.number().int(),
  region: RegionRef,
  schoolStatus: z.enum(SCHOOL_STATUSES),
  grade: z.string().nullable(),
  className: z.string().nullable(),
  lastVacationVisitDate: z.string().nullable(),
  /** A vacation visit dated inside the current vacation window. */
  visitedThisVacation: z.boolean(),
  /** The viewer's own latest vacation visit of this pupil while he may still correct it (24 hours), else null. */
  correctableVisit: z.object({ id: z.string(), visitDate: z.string() }).nullable(),
});
export type PupilSummary = z.infer<typeof PupilSummary>;
export const PupilPage = paged(PupilSummary);

// ---------------------------------------------------------------- timeline

export const TIMELINE_KINDS = ['visit', 'risk', 'registration', 'change', 'closure', 'transfer', 'report', 'referral', 'order', 'letter'] as const;
export const TimelineItem = z.object({
  at: z.string(),
  kind: z.enum(TIMELINE_KINDS),
  title: z.string(),
  actor: z.string().nullable(),
  /** For a visit: its id (the page opens it); for others: null. */
  visitId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const ChildTimeline = z.object({ items: z.array(TimelineItem) });
export type ChildTimeline = z.infer<typeof ChildTimeline>;

// ---------------------------------------------------------------- work lists

/** facts_missing (缺少关键信息): files missing a fact that decides a category (domain/children/facts-missing.ts). */
export const WORKLIST_KINDS = ['due_this_week', 'overdue', 'never_visited', 'unseen', 'aging_out', 'campaign', 'letters_missing', 'facts_missing'] as const;
export type WorklistKind = (typeof WORKLIST_KINDS)[number];
/** "Aging out" lists files that age out within this many days (or should have already). */
export const WORKLIST_AGING_OUT_DAYS = 30;
/** "Not seen in person" lists children not seen in this many latest visits in a row. */
export const WORKLIST_UNSEEN_VISITS = 2;
/** On-time rates count the visits of this many days, today included. */
export const WORKLIST_ON_TIME_DAYS = 90;
export const WorklistQuery = z.object({
  kind: z.enum(WORKLIST_KINDS).default('overdue'),
  region: RegionCode.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type WorklistQuery = z.infer<typeof WorklistQuery>;
export const WorklistCountsQuery = z.object({ region: RegionCode.optional() });
export const WorklistRow = z.object({
  childId: z.string(),
  name: z.string(),
  region: RegionRef,
  riskLevel: z.enum(RISK_LEVELS),
  lastVisitDate: z.string().nullable(),
  nextDue: z.string(),
  state: z.enum(VISIT_STATES),
  daysOverdue: z.number().int(),
  agingOutDate: z.string(),
  campaignTaskId: z.string().nullable(),
  campaignName: z.string().nullable(),
  /** Guardianship letters not signed for the current carer (0 = covered): what the 责任书未签 list is about. */
  lettersDue: z.number().int(),
  /** Facts that decide a category and are missing: what the 缺少关键信息 list is about. */
  missingFacts: z.array(z.enum(MISSING_FACTS)),
});
export type WorklistRow = z.infer<typeof WorklistRow>;
export const WorklistPage = paged(WorklistRow);
export type WorklistPage = z.infer<typeof WorklistPage>;
export const WorklistDirector = z.object({ id: z.string(), name: z.string(), onTimeRate: z.number().nullable(), visits: z.number().int() });
export const WorklistRegionCounts = z.object({
  region: RegionRef,
  active: z.number().int(),
  overdue: z.number().int(),
  dueThisWeek: z.number().int(),
  neverVisited: z.number().int(),
  /** Active children with a guardianship letter missing or to renew (coverage = 1 − lettersMissing / active). */
  lettersMissing: z.number().int(),
  /**
   * Visits in the last 90 days made by their due date, over those visits plus children now overdue; null with neither.
   * Counted for villages and townships; null for a city's counties, whose table is about overdue counts (it would read every visit of the city).
   */
  onTimeRate: z.number().nullable(),
  /** The visits of the last 90 days that had a due date (the rate's numerator is among them); null where rates are not counted. */
  visits: z.number().int().nullable(),
  /** Villages only: each active director's own visits there, against the village's overdue children. */
  directors: z.array(WorklistDirector),
});
export type WorklistRegionCounts = z.infer<typeof WorklistRegionCounts>;
/** The counts behind each work list tab, and per region one level down (village for a supervisor, township for a county …). */
export const WorklistCounts = z.object({
  /** The region counted (the actor's scope, or the narrower `region` asked for) and its path from the top. */
  region: RegionRef,
  path: z.array(RegionRef),
  counts: z.record(z.enum(WORKLIST_KINDS), z.number().int()),
  /** Of due_this_week, the children due today (今天到期). */
  dueToday: z.number().int(),
  /** One row per region one level down, worst (most overdue) first; empty for a village. */
  regions: z.array(WorklistRegionCounts),
});
export type WorklistCounts = z.infer<typeof WorklistCounts>;

// ---------------------------------------------------------------- verification campaigns (重点核查)

export const CampaignChecklistItem = z.object({ key: z.string().regex(/^[a-z0-9_]{1,40}$/), label: text(100).min(1) });
export const CampaignInput = z.object({
  name: text(100).min(2),
  regionCode: RegionCode,
  startDate: IsoDate,
  endDate: IsoDate,
  /** Which children: every active child in scope, or only those in some categories. */
  categories: z.array(z.enum(['left_behind', 'distress', 'unsupported'])).max(3),
  checklist: z.array(CampaignChecklistItem).min(1).max(20),
});
export const CAMPAIGN_STATUSES = ['open', 'closed'] as const;
export const CampaignProgress = z.object({ region: RegionRef, tasks: z.number().int(), done: z.number().int(), problems: z.number().int() });
export const CampaignRecord = z.object({
  id: z.string(),
  name: z.string(),
  region: RegionRef,
  startDate: z.string(),
  endDate: z.string(),
  categories: z.array(z.string()),
  checklist: z.array(CampaignChecklistItem),
  status: z.enum(CAMPAIGN_STATUSES),
  tasks: z.number().int(),
  done: z.number().int(),
  problems: z.number().int(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export const CampaignPage = paged(CampaignRecord);
export type CampaignInput = z.infer<typeof CampaignInput>;
export type CampaignRecord = z.infer<typeof CampaignRecord>;
export type CampaignProgress = z.infer<typeof CampaignProgress>;
export const CampaignListQuery = z.object({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
/** How many active children a campaign over this region and these categories would give a task (before creating it). */
export const CampaignPreviewQuery = z.object({
  regionCode: RegionCode,
  /** Comma-separated categories; empty: every active child. */
  categories: z.string().max(60).optional(),
});
export const CampaignPreview = z.object({ children: z.number().int() });
/** Per checklist item: how many completed tasks answered it "not ok". */
export const CampaignItemProblems = z.object({ key: z.string(), label: z.string(), problems: z.number().int() });
/** The report written when a campaign closes (stored with it): totals and per sub-region of the campaign's region. */
export const CampaignSummary = z.object({
  closedAt: z.string(),
  closedBy: z.string().nullable(),
  tasks: z.number().int(),
  done: z.number().int(),
  notDone: z.number().int(),
  /** Children with at least one checklist item not ok. */
  problems: z.number().int(),
  items: z.array(CampaignItemProblems),
  regions: z.array(CampaignProgress),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;
export const CampaignDetailQuery = z.object({ region: RegionCode.optional() });
export const CampaignDetail = CampaignRecord.extend({
  /** Tasks, done and problems per sub-region one level below `progressRegion`. */
  progress: z.array(CampaignProgress),
  /** Whose sub-regions `progress` lists: the narrower of the viewer's scope and the campaign's region, or a region below chosen by ?region=. */
  progressRegion: RegionRef,
  /** From the top of the viewer's view (scope or campaign region) down to progressRegion, for drilling back up. */
  progressPath: z.array(RegionRef),
  createdBy: z.string().nullable(),
  /** The stored closing report, for viewers whose scope holds the whole campaign region; null otherwise or while open. */
  summary: CampaignSummary.nullable(),
  /** The viewer may close this campaign (campaign.manage over its whole region). */
  canClose: z.boolean(),
  /**
   * Children given a task who have since been transferred out of the campaign's
   * region: their open tasks are withdrawn, their done ones no longer counted,
   * and they are not listed. For viewers whose scope holds the whole campaign region; null otherwise.
   */
  movedAway: z.number().int().nullable(),
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;
export const CAMPAIGN_TASK_STATUSES = ['open', 'done'] as const;
export const CampaignTaskQuery = z.object({
  status: z.enum(CAMPAIGN_TASK_STATUSES).optional(),
  region: RegionCode.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const CampaignTaskRow = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  /** The child's village (a task moves with its child). */
  region: RegionRef,
  township: z.string(),
  status: z.enum(CAMPAIGN_TASK_STATUSES),
  problems: z.number().int(),
  doneAt: z.string().nullable(),
  visitId: z.string().nullable(),
});
export type CampaignTaskRow = z.infer<typeof CampaignTaskRow>;
export const CampaignTaskPage = paged(CampaignTaskRow);
/** One task as the visit form needs it (GET /api/campaign-tasks/:taskId). */
export const CampaignTaskDetail = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  campaignStatus: z.enum(CAMPAIGN_STATUSES),
  startDate: z.string(),
  endDate: z.string(),
  checklist: z.array(CampaignChecklistItem),
  childId: z.string(),
  childName: z.string(),
  status: z.enum(CAMPAIGN_TASK_STATUSES),
  visitId: z.string().nullable(),
});
export type CampaignTaskDetail = z.infer<typeof CampaignTaskDetail>;
