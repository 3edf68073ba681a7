/**
 * The typed contract of the HTTP API: request and response schemas shared by
 * the server (validation, OpenAPI) and the web app (parsing responses).
 */
import { z } from 'zod';
import { ACTIONS } from './access.js';
import { LOCALES } from './locale.js';
import { REGION_LEVELS, isRegionCode } from './regions.js';
import { ORGANISATION_KINDS, ROLES } from './roles.js';

export const RegionCode = z.string().refine(isRegionCode, { message: 'region_code' });
export const Id = z.string().min(1).max(64);
export const RoleSchema = z.enum(ROLES);
export const LocaleSchema = z.enum(LOCALES);
export const RegionLevelSchema = z.enum(REGION_LEVELS);
export const OrganisationKindSchema = z.enum(ORGANISATION_KINDS);

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), data: z.record(z.string(), z.unknown()).optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Ok = z.object({ ok: z.literal(true) });

export function paged<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

// ---------------------------------------------------------------- health
export const Health = z.object({ status: z.enum(['ok', 'error']), database: z.enum(['sqlite', 'postgres']), time: z.string() });

// ---------------------------------------------------------------- regions
export const RegionNode = z.object({
  code: z.string(),
  name: z.string(),
  level: RegionLevelSchema,
  parentCode: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  childCount: z.number().int(),
});
export type RegionNode = z.infer<typeof RegionNode>;

export const RegionRef = z.object({ code: z.string(), name: z.string(), level: RegionLevelSchema });
export type RegionRef = z.infer<typeof RegionRef>;

export const RegionChildrenQuery = z.object({ parent: RegionCode.optional() });
export const RegionChildren = z.object({ parent: RegionNode.nullable(), items: z.array(RegionNode) });
export type RegionChildren = z.infer<typeof RegionChildren>;

export const RegionCounts = z.object({
  counties: z.number().int(),
  townships: z.number().int(),
  villages: z.number().int(),
  directors: z.number().int(),
  supervisors: z.number().int(),
});
export type RegionCounts = z.infer<typeof RegionCounts>;

export const RegionDetail = RegionNode.extend({ path: z.array(RegionRef), counts: RegionCounts });
export type RegionDetail = z.infer<typeof RegionDetail>;

export const RegionSearchQuery = z.object({
  q: z.string().trim().min(1).max(50),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const RegionSearchResult = z.object({ items: z.array(RegionRef.extend({ path: z.array(RegionRef) })) });
export type RegionSearchResult = z.infer<typeof RegionSearchResult>;

// ---------------------------------------------------------------- staff coverage
export const CoverageQuery = z.object({ region: RegionCode.optional() });
export const CoverageRow = z.object({
  code: z.string(),
  name: z.string(),
  level: RegionLevelSchema,
  townships: z.number().int(),
  townshipsWithoutSupervisor: z.number().int(),
  villages: z.number().int(),
  villagesWithoutDirector: z.number().int(),
  supervisors: z.number().int(),
  directors: z.number().int(),
});
export type CoverageRow = z.infer<typeof CoverageRow>;
export const CoverageReport = z.object({ region: RegionRef, path: z.array(RegionRef), totals: CoverageRow, rows: z.array(CoverageRow) });
export type CoverageReport = z.infer<typeof CoverageReport>;

export const CoverageGapQuery = PageQuery.extend({
  region: RegionCode.optional(),
  kind: z.enum(['villages-without-director', 'townships-without-supervisor']),
});
export const CoverageGap = z.object({ code: z.string(), name: z.string(), path: z.array(RegionRef) });
export type CoverageGap = z.infer<typeof CoverageGap>;
export const CoverageGapPage = paged(CoverageGap);

// ---------------------------------------------------------------- organisations
export const OrganisationRecord = z.object({
  id: z.string(),
  name: z.string(),
  kind: OrganisationKindSchema,
  regionCode: z.string(),
  regionName: z.string(),
  userCount: z.number().int(),
});
export type OrganisationRecord = z.infer<typeof OrganisationRecord>;
export const OrganisationListQuery = PageQuery.extend({
  q: z.string().trim().max(50).optional(),
  kind: OrganisationKindSchema.optional(),
});
export const OrganisationPage = paged(OrganisationRecord);
export const OrganisationInput = z.object({
  name: z.string().trim().min(2).max(100),
  kind: OrganisationKindSchema,
  regionCode: RegionCode,
});
export type OrganisationInput = z.infer<typeof OrganisationInput>;

// ---------------------------------------------------------------- users
export const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/);
export const Password = z.string().min(1).max(200);

export const UserRecord = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  /** Work phone (工作电话), printed on guardianship letters as the family's contact. */
  phone: z.string().nullable(),
  disabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserRecord = z.infer<typeof UserRecord>;

export const UserSort = z.enum(['username', '-username', 'createdAt', '-createdAt', 'lastLoginAt', '-lastLoginAt']);
export const UserListQuery = PageQuery.extend({
  q: z.string().trim().max(50).optional(),
  role: RoleSchema.optional(),
  region: RegionCode.optional(),
  disabled: z.enum(['true', 'false']).optional(),
  sort: UserSort.default('username'),
});
export type UserListQuery = z.infer<typeof UserListQuery>;
export const UserPage = paged(UserRecord);

/** A work phone as typed (checked and normalised by the server, domain/staff-phone.ts); '' or null clears it. */
export const StaffPhoneInput = z.string().trim().max(30).nullable();
export const UserCreateInput = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(50),
  role: RoleSchema,
  regionCode: RegionCode.optional(),
  organisationId: Id.optional(),
  phone: StaffPhoneInput.optional(),
});
export type UserCreateInput = z.infer<typeof UserCreateInput>;
export const UserUpdateInput = z.object({
  displayName: z.string().trim().min(1).max(50).optional(),
  phone: StaffPhoneInput.optional(),
  disabled: z.boolean().optional(),
  regionCode: RegionCode.optional(),
  organisationId: Id.optional(),
});
export type UserUpdateInput = z.infer<typeof UserUpdateInput>;
/** Returned once when an account is created or its password reset. */
export const UserWithPassword = z.object({ user: UserRecord, temporaryPassword: z.string() });
export type UserWithPassword = z.infer<typeof UserWithPassword>;

// ---------------------------------------------------------------- auth & session
export const LoginInput = z.object({ username: z.string().trim().min(1).max(64), password: Password });
export type LoginInput = z.infer<typeof LoginInput>;

export const ChangePasswordInput = z.object({ currentPassword: Password, newPassword: Password });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const PreferencesInput = z.object({ locale: LocaleSchema });
export const PhoneInput = z.object({ phone: StaffPhoneInput });
export type PhoneInput = z.infer<typeof PhoneInput>;

export const Scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('region'), region: RegionRef, path: z.array(RegionRef) }),
  z.object({
    kind: z.literal('organisation'),
    organisation: z.object({ id: z.string(), name: z.string(), kind: OrganisationKindSchema }),
    region: RegionRef,
    path: z.array(RegionRef),
  }),
]);
export type Scope = z.infer<typeof Scope>;

export const Me = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    locale: LocaleSchema,
    mustChangePassword: z.boolean(),
    /** The own work phone, set on the account page. */
    phone: z.string().nullable(),
  }),
  scope: Scope,
  permissions: z.array(z.enum(ACTIONS)),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

// ---------------------------------------------------------------- home
export const HomeSummary = z.object({
  role: RoleSchema,
  region: RegionRef,
  /** Staffing of the scope, for those who run or oversee the network; null for an agency, a school and a volunteer (their home shows their own work). */
  counts: RegionCounts.extend({
    villagesWithoutDirector: z.number().int(),
    townshipsWithoutSupervisor: z.number().int(),
    activeUsers: z.number().int(),
  }).nullable(),
});
export type HomeSummary = z.infer<typeof HomeSummary>;

// ---------------------------------------------------------------- audit
export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  regionCode: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  /**
   * The child the row is about (its target, or the details' childId): by name
   * and village only for a reader who may see that child now (role and scope
   * checked at read time); otherwise `name` and `village` are null (（范围外）).
   */
  child: z.object({ name: z.string().nullable(), village: z.string().nullable() }).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
const IsoDateOrInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/);
export const AuditQuery = PageQuery.extend({
  q: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  /** 'YYYY-MM-DD' (a day in China time, UTC+8) or an ISO instant; a bare date as `to` includes that whole day. */
  from: IsoDateOrInstant.optional(),
  to: IsoDateOrInstant.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
/** The same filters, every matching row (audited as audit.export). */
export const AuditExportQuery = AuditQuery.omit({ page: true, pageSize: true });
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;
export const AuditPage = paged(AuditEntry);
