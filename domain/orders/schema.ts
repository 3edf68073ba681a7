/** The API contract of orders and state guardianship (法律与国家监护): requests, the record, the list. */
import { z } from 'zod';
import { Id, RegionCode, RegionRef, paged } from '../api.js';
import { IsoDate } from '../children/schema.js';
import {
  ADDRESSEES,
  ART92_GROUNDS,
  GUARDIANSHIP_OUTCOMES,
  GUIDANCE_ISSUERS,
  ORDER_ACTIONS,
  ORDER_ENTRY_KINDS,
  ORDER_KINDS,
  ORDER_STATES,
  PLACEMENTS,
  REVOCATION_OUTCOMES,
} from './rules.js';
import { personName } from '../person-name.js';

const text = (max: number) => z.string().trim().max(max);
const version = z.number().int().min(1);

/** The issuing body: an organisation of the right kind, or its name typed in. One of the two is required (checked by the server). */
const Issuer = {
  issuerOrganisationId: Id.nullish(),
  issuerName: text(100).nullish(),
};

export const SupervisionOrderInput = z.object({
  kind: z.literal('supervision'),
  ...Issuer,
  orderNo: text(60).min(1),
  issuedOn: IsoDate,
  addressee: z.enum(ADDRESSEES),
  addresseeName: personName(64),
  /** The duties ordered. */
  content: text(2000).min(1),
});
export const GuidanceOrderInput = z.object({
  kind: z.literal('education_guidance'),
  issuerKind: z.enum(GUIDANCE_ISSUERS),
  ...Issuer,
  issuedOn: IsoDate,
  addressee: z.enum(ADDRESSEES),
  addresseeName: personName(64),
  plannedSessions: z.number().int().min(1).max(100),
  content: text(2000).nullish(),
});
export const TemporaryGuardianshipInput = z.object({
  kind: z.literal('temporary_guardianship'),
  startedOn: IsoDate,
  placement: z.enum(PLACEMENTS),
  /** The relative, foster family or institution by name. */
  placementName: text(100).nullish(),
  ground: z.enum(ART92_GROUNDS),
  assessment: text(2000).nullish(),
});
export const RevocationPetitionInput = z.object({
  kind: z.literal('revocation'),
  ...Issuer,
  petitioner: text(100).min(1),
  filedOn: IsoDate,
  hearingOn: IsoDate.nullish(),
  content: text(2000).nullish(),
});
export const OrderInput = z.discriminatedUnion('kind', [SupervisionOrderInput, GuidanceOrderInput, TemporaryGuardianshipInput, RevocationPetitionInput]);
export type OrderInput = z.infer<typeof OrderInput>;

export const OrderCheckInput = z.object({ type: z.literal('check'), date: IsoDate, finding: text(2000).min(1), compliant: z.boolean(), version });
export const OrderSessionInput = z.object({ type: z.literal('session'), date: IsoDate, topic: text(200).min(1), attended: z.boolean(), version });
export const OrderEntryInput = z.discriminatedUnion('type', [OrderCheckInput, OrderSessionInput]);
export type OrderEntryInput = z.infer<typeof OrderEntryInput>;

export const NewGuardian = z.object({ name: text(100).min(1), relation: text(64).min(1) });
export const OrderTransitionInput = z.object({
  action: z.enum(ORDER_ACTIONS),
  version,
  note: text(2000).nullish(),
  /** end (temporary guardianship): the day it ended; decide (revocation): the decision date. */
  date: IsoDate.nullish(),
  /** end: returned / long_term_state / other; decide: revoked / rejected. */
  outcome: z.enum([...GUARDIANSHIP_OUTCOMES, ...REVOCATION_OUTCOMES]).nullish(),
  /** decide with outcome revoked: the newly designated guardian (a person with the relation, or an institution). */
  newGuardian: NewGuardian.nullish(),
});
export type OrderTransitionInput = z.infer<typeof OrderTransitionInput>;

export const OrderEntry = z.object({
  id: z.string(),
  type: z.enum([...ORDER_ENTRY_KINDS, 'created', ...ORDER_ACTIONS]),
  date: z.string().nullable(),
  /** check: finding; session: topic; a transition: its note. */
  note: z.string().nullable(),
  /** check: compliant; session: attended. */
  ok: z.boolean().nullable(),
  actor: z.string().nullable(),
  at: z.string(),
});
export type OrderEntry = z.infer<typeof OrderEntry>;

/** The kind-specific facts, as entered (and the end or decision once recorded). */
export const OrderDetails = z.object({
  orderNo: z.string().nullable(),
  addressee: z.enum(ADDRESSEES).nullable(),
  addresseeName: z.string().nullable(),
  content: z.string().nullable(),
  issuerKind: z.enum(GUIDANCE_ISSUERS).nullable(),
  plannedSessions: z.number().int().nullable(),
  placement: z.enum(PLACEMENTS).nullable(),
  placementName: z.string().nullable(),
  ground: z.enum(ART92_GROUNDS).nullable(),
  assessment: z.string().nullable(),
  petitioner: z.string().nullable(),
  hearingOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  outcome: z.enum([...GUARDIANSHIP_OUTCOMES, ...REVOCATION_OUTCOMES, 'withdrawn']).nullable(),
  decidedOn: z.string().nullable(),
  newGuardian: NewGuardian.nullable(),
});
export type OrderDetails = z.infer<typeof OrderDetails>;

export const OrderRow = z.object({
  id: z.string(),
  kind: z.enum(ORDER_KINDS),
  state: z.enum(ORDER_STATES),
  child: z.object({ id: z.string(), name: z.string() }),
  region: RegionRef,
  /** Issued, started or filed on. */
  date: z.string(),
  issuer: z.string().nullable(),
  createdAt: z.string(),
});
export type OrderRow = z.infer<typeof OrderRow>;
export const OrderPage = paged(OrderRow);
export type OrderPage = z.infer<typeof OrderPage>;

export const OrderRecord = OrderRow.extend({
  issuerOrganisationId: z.string().nullable(),
  details: OrderDetails,
  entries: z.array(OrderEntry),
  /** Attended of planned guidance sessions, in percent (guidance only). */
  attendanceRate: z.number().int().nullable(),
  createdBy: z.string(),
  version: z.number().int(),
  /** What the actor may do next (the server still decides). */
  can: z.object({ check: z.boolean(), session: z.boolean(), actions: z.array(z.enum(ORDER_ACTIONS)) }),
});
export type OrderRecord = z.infer<typeof OrderRecord>;

export const OrderListQuery = z.object({
  kind: z.enum(ORDER_KINDS).optional(),
  state: z.enum(ORDER_STATES).optional(),
  /** true: only orders still active (issued, escalated, active, filed). */
  active: z.enum(['true', 'false']).optional(),
  region: RegionCode.optional(),
  childId: Id.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;
