/** Kysely table types. Instants are ISO-8601 UTC text; dates 'YYYY-MM-DD'; booleans 0/1 integers (portable). */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface RegionTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  valid_from: string;
  valid_to: string | null;
}

export interface OrganisationTable {
  id: string;
  name: string;
  kind: string;
  region_code: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  /** Staff: their region. Organisation users: the organisation's region (for admin scoping). */
  region_code: string | null;
  organisation_id: string | null;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  locale: string;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  /** Work phone (domain/staff-phone.ts), printed on guardianship letters; optional. */
  phone: string | null;
}

export interface SessionTable {
  /** sha256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** The key of the phone's offline copy (issue 15), sealed with the master key; made at the first request, gone with the session. */
  offline_key?: string | null;
}

/** Wrong passwords for one account from one client address (IPv6 by its /64), and that address's lock. */
export interface LoginFailureTable {
  user_id: string;
  address: string;
  failures: number;
  locked_until: string | null;
  last_failed_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  region_code: string | null;
  ip: string | null;
  request_id: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

/** One row: an HMAC of a fixed text under the master key (server/features/keys). */
export interface KeyCheckTable {
  id: number;
  value: string;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ChildTable {
  id: string;
  region_code: string;
  county_code: string;
  name: string;
  /** The name's spellings (domain/children/name-search.ts spellName): pinyin run together, initials, syllables in padded slots. */
  name_pinyin: string;
  /** Null in the database only until start-up spells the names of files from before (spellStoredNames). */
  name_initials: string;
  name_syllables: string;
  sex: string;
  birth_date: string;
  id_hash: string | null;
  id_cipher: string | null;
  id_masked: string | null;
  status: string;
  left_behind: number;
  distress: number;
  unsupported: number;
  risk_level: string;
  school_status: string;
  aging_out_date: string;
  /** JSON: parents, carer, schooling, health, support — phone and ID numbers inside are ciphertext. */
  profile: string;
  /** JSON: derived categories with reasons, and any override with its reason. */
  categories: string;
  review_comment: string | null;
  close_reason: string | null;
  close_note: string | null;
  closed_at: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** JSON array of the current risk factors (domain/visits/risk.ts). */
  risk_factors: string;
  /** JSON: the visit-observed factors, as the latest visit answering each left them. */
  risk_observed: string;
  /** JSON RiskOverride or null. */
  risk_override: string | null;
  last_visit_date: string | null;
  last_seen_date: string | null;
  unseen_streak: number;
  /** Due date of the next visit (a date, never a status); null only until start-up fills it. */
  next_visit_due: string | null;
  school_org_id: string | null;
  /** Guardianship letters the file needs (1 or 2) and how many are not signed for its current carer (domain/letters). */
  letters_needed: number;
  letters_due: number;
  /** Facts that decide a category and are missing (comma-separated field paths, e.g. 'father.since'); null when none. */
  missing_facts: string | null;
}

export interface GuardianshipLetterTable {
  id: string;
  child_id: string;
  /** guardian | entrusted */
  kind: string;
  signed_on: string;
  guardian_name: string;
  /** father | mother | guardian */
  guardian_relation: string;
  /** The carer signed for (domain/letters carerKey), and its snapshot for the record. */
  carer_key: string;
  carer_kind: string;
  carer_name: string | null;
  carer_relation: string | null;
  scan_file_id: string | null;
  note: string | null;
  recorded_by: string | null;
  recorded_by_name: string;
  recorded_at: string;
}

export interface ChildChangeTable {
  id: string;
  child_id: string;
  region_code: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  comment: string | null;
  changes: string;
}

export interface DuplicateReviewTable {
  id: string;
  child_id: string;
  candidate_id: string;
  region_code: string;
  decision: string;
  reason: string | null;
  actor_id: string | null;
  at: string;
}

/** A request to move a child whose ID number the asker met outside his area (issue 12 §1). */
export interface TransferRequestTable {
  id: string;
  child_id: string;
  to_village: string;
  asked_name: string;
  note: string;
  asked_by: string;
  asked_by_name: string;
  asked_at: string;
  /** open | transferred | declined */
  state: string;
  decided_at: string | null;
  decided_by: string | null;
  decline_reason: string | null;
}

export interface FileTable {
  id: string;
  child_id: string;
  /** child_photo | visit_photo | letter_scan */
  purpose: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  /** Relative to `<dataDir>/files/`. */
  path: string;
  kept_location: number;
  created_by: string | null;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
  visit_id: string | null;
  /** A referral attachment's referral (purpose referral_attachment). */
  referral_id?: string | null;
  /** The name the file was uploaded under (referral attachments). */
  original_name?: string | null;
}

export interface VisitTable {
  id: string;
  child_id: string;
  region_code: string;
  county_code: string;
  visit_date: string;
  kind: string;
  visitor_id: string | null;
  visitor_name: string;
  visitor_role: string;
  organisation_id: string | null;
  seen_in_person: number;
  present: string;
  checklist: string;
  factors: string;
  follow_ups: string;
  campaign_answers: string | null;
  notes: string | null;
  dropout_risk: number | null;
  campaign_task_id: string | null;
  gps: string | null;
  due_date: string | null;
  on_time: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  corrected_at: string | null;
  /** 1: the checklist was answered with the single 全部正常 tap; 0 otherwise. */
  checklist_all_fine: number;
  /** Keyed hash of what a client sent with its own id (server/core/replay.ts): a resend must match it. */
  input_hash?: string | null;
}

export interface VisitRevisionTable {
  id: string;
  visit_id: string;
  child_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  reason: string | null;
  changes: string;
}

export interface CampaignTable {
  id: string;
  name: string;
  region_code: string;
  start_date: string;
  end_date: string;
  /** JSON array of categories ([] = every active child in scope). */
  categories: string;
  /** JSON array of { key, label }. */
  checklist: string;
  status: string;
  created_by: string | null;
  created_at: string;
  closed_by: string | null;
  closed_at: string | null;
  /** JSON summary written at closing. */
  summary: string | null;
}

export interface CampaignTaskTable {
  id: string;
  campaign_id: string;
  child_id: string;
  region_code: string;
  status: string;
  visit_id: string | null;
  problems: number;
  done_at: string | null;
}

export interface ProtectionReportTable {
  id: string;
  child_id: string;
  visit_id: string | null;
  region_code: string;
  county_code: string;
  /** JSON array of REPORT_TRIGGERS codes. */
  triggers: string;
  discovered_at: string;
  /** The reporter: ciphertext (server/core/crypto.ts), decrypted only for those who may see who reported. */
  reporter_name: string;
  reporter_phone: string | null;
  reporter_unit: string | null;
  description: string | null;
  police_notified_at: string | null;
  police_method: string | null;
  police_receipt_no: string | null;
  /** The police's own record (agency of kind police): receipt acknowledged (接警确认), case number, outcome. */
  police_received_at: string | null;
  police_received_by: string | null;
  police_received_by_name: string | null;
  police_case_no: string | null;
  /** domain/reports/rules.ts POLICE_OUTCOMES */
  police_outcome: string | null;
  police_outcome_note: string | null;
  police_outcome_at: string | null;
  status: string;
  closed_at: string | null;
  closed_by: string | null;
  closure_note: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
  version: number;
  /** Keyed hash of what a client sent with its own id (server/core/replay.ts): a resend must match it. */
  input_hash?: string | null;
}

export interface ProtectionReportEntryTable {
  id: string;
  report_id: string;
  /** created, police, action, feedback, closed; the police's received, case_no, outcome */
  kind: string;
  note: string | null;
  /** received: the time of receipt; outcome: the outcome's code. */
  detail: string | null;
  actor_id: string | null;
  actor_name: string | null;
  at: string;
}

export interface ReferralTable {
  id: string;
  child_id: string;
  visit_id: string | null;
  region_code: string;
  county_code: string;
  to_organisation_id: string;
  reason: string;
  /** normal, urgent, emergency */
  urgency: string;
  accept_by: string;
  /** 1: the receiver sees the caregiver's name and phone while the referral is open. */
  share_contacts: number;
  /** sent, accepted, declined, in_service, completed, withdrawn (domain/referrals/rules.ts) */
  state: string;
  decline_reason: string | null;
  feedback: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ReferralEventTable {
  id: string;
  referral_id: string;
  /** create, accept, decline, start, complete, withdraw */
  action: string;
  from_state: string | null;
  to_state: string;
  /** sender or receiver */
  side: string;
  note: string | null;
  actor_id: string | null;
  actor_name: string | null;
  at: string;
}

/** What an agency records while it serves a referral (in_service): a session, a contact or a note. */
export interface ReferralWorkTable {
  id: string;
  referral_id: string;
  /** session, contact, note (domain/referrals/rules.ts REFERRAL_WORK_KINDS) */
  kind: string;
  /** The day it happened (YYYY-MM-DD, China time). */
  occurred_on: string;
  /** Sessions: minutes. */
  duration_minutes: number | null;
  /** Sessions: SESSION_KINDS. */
  session_kind: string | null;
  /** Contacts: CONTACT_METHODS, and with whom. */
  contact_method: string | null;
  contact_with: string | null;
  note: string | null;
  actor_id: string | null;
  actor_name: string | null;
  at: string;
}

export interface ProtectionOrderTable {
  id: string;
  child_id: string;
  region_code: string;
  county_code: string;
  /** supervision, education_guidance, temporary_guardianship, revocation (domain/orders/rules.ts) */
  kind: string;
  state: string;
  /** Issued, started or filed on (YYYY-MM-DD). */
  order_date: string;
  issuer_organisation_id: string | null;
  issuer_name: string | null;
  /** JSON of the kind-specific facts (domain/orders/schema.ts OrderDetails). */
  details: string;
  created_by: string | null;
  created_by_name: string;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
  version: number;
}

export interface ProtectionOrderEntryTable {
  id: string;
  order_id: string;
  /** created, check, session, or a transition (fulfil, escalate, close, complete, discontinue, end, decide, withdraw) */
  type: string;
  entry_date: string | null;
  note: string | null;
  /** check: compliant, session: attended (0/1); null for others. */
  ok: number | null;
  from_state: string | null;
  to_state: string | null;
  actor_id: string | null;
  actor_name: string | null;
  at: string;
}

export interface Database {
  children: ChildTable;
  child_changes: ChildChangeTable;
  duplicate_reviews: DuplicateReviewTable;
  transfer_requests: TransferRequestTable;
  regions: RegionTable;
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  settings: SettingTable;
  key_check: KeyCheckTable;
  files: FileTable;
  visits: VisitTable;
  visit_revisions: VisitRevisionTable;
  campaigns: CampaignTable;
  campaign_tasks: CampaignTaskTable;
  protection_reports: ProtectionReportTable;
  protection_report_entries: ProtectionReportEntryTable;
  referrals: ReferralTable;
  referral_events: ReferralEventTable;
  referral_work: ReferralWorkTable;
  protection_orders: ProtectionOrderTable;
  protection_order_entries: ProtectionOrderEntryTable;
  guardianship_letters: GuardianshipLetterTable;
}

export type RegionRow = Selectable<RegionTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type OrganisationRow = Selectable<OrganisationTable>;
export type SessionRow = Selectable<SessionTable>;
export type LoginFailureRow = Selectable<LoginFailureTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type ChildRow = Selectable<ChildTable>;
export type ChildChangeRow = Selectable<ChildChangeTable>;
export type TransferRequestRow = Selectable<TransferRequestTable>;
export type FileRow = Selectable<FileTable>;
export type VisitRow = Selectable<VisitTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type CampaignTaskRow = Selectable<CampaignTaskTable>;
export type ProtectionReportRow = Selectable<ProtectionReportTable>;
export type ProtectionReportEntryRow = Selectable<ProtectionReportEntryTable>;
export type ReferralRow = Selectable<ReferralTable>;
export type ReferralEventRow = Selectable<ReferralEventTable>;
export type ReferralWorkRow = Selectable<ReferralWorkTable>;
export type ProtectionOrderRow = Selectable<ProtectionOrderTable>;
export type ProtectionOrderEntryRow = Selectable<ProtectionOrderEntryTable>;
export type GuardianshipLetterRow = Selectable<GuardianshipLetterTable>;
export type { Generated };
