/** The child file's API contract (一人一档): what is sent, what comes back. */
import { z } from 'zod';
import { RegionCode, RegionRef, paged } from '../api.js';
import { MISSING_FACTS } from './facts-missing.js';
import { RISK_LEVELS } from '../visits/risk.js';
import { VISIT_STATES } from '../visits/schedule.js';
import { ChildSchedule } from '../visits/schedule-schema.js';
import { optionalPersonName, personName } from '../person-name.js';

export { RISK_LEVELS };

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'iso_date' });
/** A date, or a month when the day is not known ('YYYY-MM': "month and year are enough"). */
export const IsoDateOrMonth = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, { message: 'iso_month_or_date' });
const text = (max: number) => z.string().trim().max(max);
// No transforms: response schemas are encoded too. Empty strings become null in the service.
const optionalText = (max: number) => text(max).nullish();

export const SEXES = ['male', 'female'] as const;
export const PARENT_STATUSES = [
  'at_home',
  'working_away', // 外出务工
  'deceased',
  'missing', // 宣告失踪
  'imprisoned', // 服刑在押
  'compulsory_rehab', // 强制隔离戒毒
  'lost_contact', // 失联
  'seriously_ill',
  'disabled',
  'unknown',
] as const;
export const DISABILITY_TYPES = ['physical', 'visual', 'hearing', 'speech', 'intellectual', 'mental', 'multiple'] as const;
export const HUKOU_TYPES = ['rural', 'urban', 'none'] as const;
export const CAREGIVER_KINDS = ['parent', 'grandparent', 'relative', 'entrusted', 'institution', 'alone'] as const;
export const CAPACITY = ['good', 'fair', 'poor'] as const;
export const SCHOOL_STATUSES = ['in_school', 'dropped_out', 'not_in_school', 'preschool'] as const;
export const HEALTH_STATUSES = ['healthy', 'seriously_ill', 'disabled'] as const;
export const CHILD_STATUSES = ['pending', 'returned', 'active', 'closing', 'closed'] as const;
export const CLOSE_REASONS = ['parent_returned', 'aged_out', 'moved_away', 'died', 'other'] as const;
export const CATEGORIES = ['left_behind', 'distress', 'unsupported'] as const;

export const DisabilityInput = z.object({ type: z.enum(DISABILITY_TYPES), grade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]) });

export const ParentInput = z.object({
  name: optionalPersonName(50),
  idNumber: optionalText(18),
  phone: optionalText(20),
  status: z.enum(PARENT_STATUSES),
  /** When the status began; for a parent working away, when he left ('YYYY-MM' is enough). */
  since: IsoDateOrMonth.nullish(),
  /**
   * Working away and the date is not known: "more than six months, date
   * unknown" (离家超过六个月，具体日期不详), recorded on purpose. A parent working
   * away across the county line needs the date or this.
   */
  sinceUnknown: z.boolean().nullish(),
  until: IsoDate.nullish(),
  workProvince: optionalText(30),
  workCity: optionalText(30),
  employer: optionalText(100),
  workAwayCrossesCounty: z.boolean().nullish(),
  disability: DisabilityInput.nullish(),
  skills: z.array(text(30)).max(10).default([]),
  wantsLocalWork: z.boolean().nullish(),
});
export type ParentInput = z.infer<typeof ParentInput>;

export const ChildInput = z.object({
  /** A person's name (domain/person-name.ts): no digits, no = + @, so never a formula in a spreadsheet. */
  name: personName(50),
  sex: z.enum(SEXES),
  ethnicity: text(20).default('汉族'),
  birthDate: IsoDate,
  idNumber: optionalText(18),
  hukouType: z.enum(HUKOU_TYPES),
  hukouPlace: optionalText(100),
  regionCode: RegionCode,
  address: optionalText(200),
  father: ParentInput,
  mother: ParentInput,
  caregiver: z.object({
    kind: z.enum(CAREGIVER_KINDS),
    name: optionalPersonName(50),
    relation: optionalText(20),
    phone: optionalText(20),
    age: z.number().int().min(10).max(120).nullish(),
    health: z.enum(CAPACITY).nullish(),
    capacity: z.enum(CAPACITY),
  }),
  schooling: z.object({
    status: z.enum(SCHOOL_STATUSES),
    school: optionalText(100),
    grade: optionalText(20),
    /** 班级, e.g. 2班: with the grade, how a school contact finds his pupils. */
    className: optionalText(20),
    boarding: z.boolean().default(false),
    /** The school as an organisation in the system: its contact sees the pupil for vacation visits. */
    schoolOrgId: z.string().max(64).nullish(),
  }),
  health: z.object({
    status: z.enum(HEALTH_STATUSES),
    illness: optionalText(100),
    disability: DisabilityInput.nullish(),
    certificate: optionalText(40),
  }),
  support: z.object({
    dibao: z.boolean().default(false),
    tekun: z.boolean().default(false),
    temporaryRelief: z.boolean().default(false),
    orphanAllowance: z.boolean().default(false),
  }),
  guardianship: z.object({
    abuse: z.boolean().default(false),
    abandonment: z.boolean().default(false),
    improperCare: z.boolean().default(false),
  }),
  temporaryDistress: z.boolean().default(false),
  notes: optionalText(1000),
});
export type ChildInput = z.infer<typeof ChildInput>;

/** How the user resolved a duplicate warning before saving. */
export const DuplicateDecision = z.object({
  action: z.literal('dismiss'),
  reason: text(500).min(2),
  candidateIds: z.array(z.string()).max(20),
});
export const ChildRegistration = ChildInput.extend({ duplicateDecision: DuplicateDecision.optional() });
export type ChildRegistration = z.infer<typeof ChildRegistration>;
/**
 * An edit replaces the file, except protected numbers left out (undefined):
 * those keep their stored value, so a form never needs them in clear. null erases.
 */
export const ChildUpdate = ChildInput.omit({ regionCode: true }).extend({ version: z.number().int().min(1), duplicateDecision: DuplicateDecision.optional() });
export type ChildUpdate = z.infer<typeof ChildUpdate>;

export const CategoryReason = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
export const CategoryState = z.object({
  derived: z.boolean(),
  value: z.boolean(),
  reasons: z.array(CategoryReason),
  override: z.object({ value: z.boolean(), reason: z.string(), by: z.string(), at: z.string() }).nullable(),
});
export const ChildCategories = z.object({
  leftBehind: CategoryState,
  distress: CategoryState.extend({ kinds: z.array(z.string()) }),
  unsupported: CategoryState,
});
export type ChildCategories = z.infer<typeof ChildCategories>;

export const ChildSummary = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  age: z.number().int(),
  idNumberMasked: z.string().nullable(),
  region: RegionRef,
  status: z.enum(CHILD_STATUSES),
  leftBehind: z.boolean(),
  distress: z.boolean(),
  unsupported: z.boolean(),
  riskLevel: z.enum(RISK_LEVELS),
  schoolStatus: z.enum(SCHOOL_STATUSES),
  agingOutDate: z.string(),
  updatedAt: z.string(),
  /** The next visit's due date and its state today (domain/visits/schedule.ts); null for a closed file. */
  nextVisitDue: z.string().nullable(),
  visitState: z.enum(VISIT_STATES).nullable(),
});
export type ChildSummary = z.infer<typeof ChildSummary>;

const nullableText = z.string().nullable();

export const ParentRecord = z.object({
  name: nullableText,
  idNumber: nullableText,
  phone: nullableText,
  status: z.enum(PARENT_STATUSES),
  since: nullableText,
  /** "More than six months, date unknown", and who recorded it (shown in the category's reason). */
  sinceUnknown: z.boolean(),
  sinceStatedBy: nullableText,
  until: nullableText,
  workProvince: nullableText,
  workCity: nullableText,
  employer: nullableText,
  workAwayCrossesCounty: z.boolean().nullable(),
  disability: DisabilityInput.nullable(),
  skills: z.array(z.string()),
  wantsLocalWork: z.boolean().nullable(),
});
export type ParentRecord = z.infer<typeof ParentRecord>;

/** The stored document of a child file (minus the columns): phone and ID numbers are ciphertext in storage. */
export const ChildProfile = z.object({
  ethnicity: z.string(),
  hukouPlace: nullableText,
  address: nullableText,
  father: ParentRecord,
  mother: ParentRecord,
  caregiver: z.object({
    kind: z.enum(CAREGIVER_KINDS),
    name: nullableText,
    relation: nullableText,
    phone: nullableText,
    age: z.number().int().nullable(),
    health: z.enum(CAPACITY).nullable(),
    capacity: z.enum(CAPACITY),
  }),
  // className: files stored before it was asked have none.
  schooling: z.object({ status: z.enum(SCHOOL_STATUSES), school: nullableText, grade: nullableText, className: nullableText.optional(), boarding: z.boolean(), schoolOrgId: z.string().nullish() }),
  health: z.object({ status: z.enum(HEALTH_STATUSES), illness: nullableText, disability: DisabilityInput.nullable(), certificate: nullableText }),
  support: z.object({ dibao: z.boolean(), tekun: z.boolean(), temporaryRelief: z.boolean(), orphanAllowance: z.boolean() }),
  guardianship: z.object({ abuse: z.boolean(), abandonment: z.boolean(), improperCare: z.boolean() }),
  hukouType: z.enum(HUKOU_TYPES),
  temporaryDistress: z.boolean(),
  notes: nullableText,
});
export type ChildProfile = z.infer<typeof ChildProfile>;

/** The full file as shown: ID and phone numbers masked unless revealed. */
/** An uploaded file (photo, scan) as the API shows it: fetched from `url` by whoever may read its child. */
export const FileRef = z.object({ id: z.string(), url: z.string(), uploadedAt: z.string() });
export type FileRef = z.infer<typeof FileRef>;

export const ChildDetail = ChildSummary.extend({
  ...ChildProfile.shape,
  path: z.array(RegionRef),
  categories: ChildCategories,
  /** Facts that decide a category and are missing (缺少关键信息), by field path. */
  missingFacts: z.array(z.enum(MISSING_FACTS)),
  reviewComment: z.string().nullable(),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  closeNote: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  photo: FileRef.nullable(),
  /** Risk and visit schedule; null for a closed file (no visits are due). */
  schedule: ChildSchedule.nullable(),
});
export type ChildDetail = z.infer<typeof ChildDetail>;

/** Schools a pupil of a village may be linked to (their contact then sees the pupil and makes vacation visits). */
export const SchoolChoicesQuery = z.object({ regionCode: RegionCode });
export const SchoolChoice = z.object({ id: z.string(), name: z.string(), regionCode: z.string() });
export type SchoolChoice = z.infer<typeof SchoolChoice>;
export const SchoolChoices = z.object({ items: z.array(SchoolChoice) });
export type SchoolChoices = z.infer<typeof SchoolChoices>;

export const ChildSort = z.enum(['name', '-name', 'birthDate', '-birthDate', 'updatedAt', '-updatedAt']);
export const ChildListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(50).optional(),
  region: RegionCode.optional(),
  category: z.enum(CATEGORIES).optional(),
  risk: z.enum(RISK_LEVELS).optional(),
  status: z.enum(CHILD_STATUSES).optional(),
  school: z.enum(SCHOOL_STATUSES).optional(),
  ageMin: z.coerce.number().int().min(0).max(18).optional(),
  ageMax: z.coerce.number().int().min(0).max(18).optional(),
  agingOutWithinDays: z.coerce.number().int().min(1).max(366).optional(),
  /** Guardianship letters: some missing or to renew, or all signed for the current carer (domain/letters). */
  letters: z.enum(['missing', 'signed']).optional(),
  sort: ChildSort.default('-updatedAt'),
});
export type ChildListQuery = z.infer<typeof ChildListQuery>;
export const ChildPage = paged(ChildSummary);

/** A file in the actor's scope that may describe the child being entered (he may open it). */
export const DuplicateCandidate = z.object({
  id: z.string(),
  name: z.string(),
  birthDate: z.string(),
  idNumberMasked: z.string().nullable(),
  region: RegionRef,
  status: z.enum(CHILD_STATUSES),
  /** same_id_number | same_name_birth_village | similar_name_birth */
  match: z.enum(['same_id_number', 'same_name_birth_village', 'similar_name_birth']),
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;
/**
 * A file with the same ID number outside the actor's scope. Nothing of it is
 * told (not its name, birth date, place or id): only that it exists, and the
 * civil-affairs office to ask — the actor's own county's (a city officer's:
 * the city's). Similar names outside the scope are not told at all.
 */
export const DuplicateElsewhere = z.object({
  match: z.literal('same_id_number'),
  contact: RegionRef,
});
export type DuplicateElsewhere = z.infer<typeof DuplicateElsewhere>;
export const DuplicateCheckInput = z.object({
  name: personName(50),
  birthDate: IsoDate,
  idNumber: optionalText(18),
  regionCode: RegionCode,
  excludeId: z.string().optional(),
});
/** Also the `data` of a 409 DUPLICATE or DUPLICATE_ELSEWHERE answer to a registration or an edit. */
export const DuplicateCheckResult = z.object({ candidates: z.array(DuplicateCandidate), elsewhere: DuplicateElsewhere.nullable() });
export type DuplicateCheckResult = z.infer<typeof DuplicateCheckResult>;

export const ReviewInput = z.object({ comment: optionalText(500) });
export const ReturnInput = z.object({ comment: text(500).min(2) });
export const CloseInput = z.object({ reason: z.enum(CLOSE_REASONS), note: optionalText(500) });
export const TransferInput = z.object({ regionCode: RegionCode, note: optionalText(500) });
export const OverrideInput = z.object({ category: z.enum(CATEGORIES), value: z.boolean().nullable(), reason: text(500).min(2) });
export const RevealInput = z.object({ field: z.enum(['idNumber', 'father.idNumber', 'mother.idNumber', 'father.phone', 'mother.phone', 'caregiver.phone']) });
export const RevealResult = z.object({ field: z.string(), value: z.string().nullable() });

export const ChildChange = z.object({
  id: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  comment: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});
export const ChildHistory = z.object({ items: z.array(ChildChange) });

/** The thresholds of the category rules (DESIGN §3: "the absence threshold is a setting"). */
export const CategorySettingsSchema = z.object({
  leftBehindMinAbsenceMonths: z.number().int().min(1).max(24),
  leftBehindMaxAge: z.number().int().min(14).max(18),
  unsupportedMinMonths: z.number().int().min(1).max(24),
});
