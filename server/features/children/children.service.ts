/**
 * The child file (一人一档): registration and its approval, edits with
 * history and version checks, closure, transfer, category overrides,
 * duplicate warnings, revealing protected numbers. Every action: permission,
 * scope, one transaction, history row and audit row.
 */
import type { AuditAction } from '../../../domain/audit/actions.js';
import type { Action } from '../../../domain/access.js';
import { addYears } from '../../../domain/children/age.js';
import { addDays } from '../../../domain/children/dates.js';
import { DEFAULT_CATEGORY_SETTINGS, type CategorySettings } from '../../../domain/children/facts.js';
import { missingFacts, missingFactsColumn } from '../../../domain/children/facts-missing.js';
import { maskIdNumber } from '../../../domain/children/id-number.js';
import type {
  ChildCategories,
  ChildDetail,
  ChildListQuery,
  ChildProfile,
  ChildRegistration,
  ChildUpdate,
  DuplicateCandidate,
  DuplicateCheckResult,
  SchoolChoices,
} from '../../../domain/children/schema.js';
import type { RegionRef } from '../../../domain/api.js';
import { ancestorCodes, regionLevel } from '../../../domain/regions.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import type { ChildRow, ChildTable } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit, auditRead } from '../audit/audit.service.js';
import { settleTasksForMove } from '../campaigns/campaigns.repository.js';
import { findCurrentFile, insertFile, markFileRemoved } from '../files/files.repository.js';
import { findSignedLetters } from '../letters/letters.repository.js';
import { lettersDue, lettersNeeded, type SignedLetter } from '../../../domain/letters/rules.js';
import { discardFileBytes, fileRefOf, fileRowOf, processImage, writeFileBytes } from '../files/files.service.js';
import { findOrganisation, listOrganisationsAt } from '../organisations/organisations.repository.js';
import { findRegion, findRegionPath } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import { readSetting } from '../settings/settings.repository.js';
import { localToday } from '../../core/clock.js';
import { computeSchedule, type ScheduleInputs } from '../../../domain/visits/child-schedule.js';
import { DEFAULT_SCHEDULE_SETTINGS, type ScheduleSettings } from '../../../domain/visits/schedule.js';
import type { ObservedFactors, RiskOverride } from '../../../domain/visits/risk.js';
import { spellName, type NameSpelling } from '../../../domain/children/name-search.js';
import {
  NO_OVERRIDES,
  agingOutOf,
  categoriesOf,
  diffFiles,
  factsOf,
  historyView,
  normaliseChild,
  openProfile,
  overridesOf,
  presentDetail,
  presentSummary,
  sealProfile,
  similarNames,
  type NormalisedChild,
} from './child-file.js';
import {
  findChildInScope,
  findPossibleDuplicates,
  insertChild,
  insertChildChange,
  insertDuplicateReviews,
  listChildChanges,
  listChildren,
  listOpenChildrenAfter,
  listUnspelledChildren,
  moveChildRecords,
  updateChildColumns,
  updateChildSpelling,
  updateChildIfVersion,
  type ChildFilter,
  type ChildWithRegion,
} from './children.repository.js';

const today = (deps: Deps) => localToday(deps.clock);

export async function scheduleSettings(db: Db): Promise<ScheduleSettings> {
  const stored = (await readSetting<Partial<ScheduleSettings>>(db, 'visit_schedule')) ?? {};
  return { ...DEFAULT_SCHEDULE_SETTINGS, ...stored, intervalDays: { ...DEFAULT_SCHEDULE_SETTINGS.intervalDays, ...(stored.intervalDays ?? {}) } };
}

/** What a stored file's schedule depends on beyond its facts (carried over when the file is rebuilt). */
export function visitsMetaOf(row: ChildRow): NonNullable<Parameters<typeof buildChildRow>[5]['visits']> {
  return {
    observed: JSON.parse(row.risk_observed) as ObservedFactors,
    override: row.risk_override ? (JSON.parse(row.risk_override) as RiskOverride) : null,
    lastVisitDate: row.last_visit_date,
    openedOn: localToday({ now: () => new Date(row.created_at) }),
    lastSeenDate: row.last_seen_date,
    unseenStreak: row.unseen_streak,
  };
}

export async function categorySettings(db: Db): Promise<CategorySettings> {
  return { ...DEFAULT_CATEGORY_SETTINGS, ...((await readSetting<Partial<CategorySettings>>(db, 'categories')) ?? {}) };
}

async function loadChild(db: Db, ctx: RequestContext, id: string): Promise<ChildWithRegion> {
  const row = await findChildInScope(db, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  return row;
}

function requireStatus(row: { status: string }, allowed: readonly string[], ctx: RequestContext): void {
  if (!allowed.includes(row.status)) {
    const labels: Record<string, string> =
      ctx.actor.locale === 'en-US'
        ? { pending: 'awaiting approval', returned: 'returned', active: 'active', closing: 'awaiting closure', closed: 'closed' }
        : { pending: '待审核', returned: '已退回', active: '在册', closing: '待审核销档', closed: '已销档' };
    throw new AppError('INVALID_STATE', { params: { status: labels[row.status] ?? row.status } });
  }
}

export async function detailOf(deps: Deps, row: ChildWithRegion): Promise<ChildDetail> {
  const path = (await findRegionPath(deps.db, row.region_code)).map(presentRegionRef);
  const photo = await findCurrentFile(deps.db, row.id, 'child_photo');
  return presentDetail(row, path, deps.crypto, today(deps), photo ? fileRefOf(photo) : null, await scheduleSettings(deps.db));
}

async function villageInScope(db: Db, ctx: RequestContext, code: string): Promise<{ code: string; name: string }> {
  const region = await findRegion(db, code);
  if (!region || !isInScope(ctx.actor, code)) throw invalid('regionCode', 'not_found');
  if (regionLevel(code) !== 'village') throw invalid('regionCode', 'not_village');
  return region;
}

/**
 * A pupil's school (whose contact makes vacation visits) must be a school
 * organisation whose area holds the child's village, within the child's county.
 */
async function checkSchool(db: Db, schoolOrgId: string | null, villageCode: string): Promise<void> {
  if (!schoolOrgId) return;
  const org = await findOrganisation(db, schoolOrgId);
  if (!org || org.kind !== 'school' || !schoolAreasOf(villageCode).includes(org.region_code)) throw invalid('schooling.schoolOrgId', 'school_org');
}

/** The areas a school of a village's pupils may be registered at: the village, its township, its county. */
function schoolAreasOf(villageCode: string): string[] {
  return ancestorCodes(villageCode).filter((code) => ['county', 'township', 'village'].includes(regionLevel(code)));
}

/** The schools a child of this village (in the actor's scope) may be linked to, by name. */
export async function listSchoolChoices(deps: Deps, ctx: RequestContext, regionCode: string): Promise<SchoolChoices> {
  const region = await findRegion(deps.db, regionCode);
  if (!region || !isInScope(ctx.actor, regionCode)) throw notFound();
  if (regionLevel(regionCode) !== 'village') throw invalid('regionCode', 'not_village');
  const rows = await listOrganisationsAt(deps.db, 'school', schoolAreasOf(regionCode));
  return { items: rows.map((o) => ({ id: o.id, name: o.name, regionCode: o.region_code })) };
}

/** A change of the file written to its history as `action` and audited as `child.<action>`. */
type ChildChangeAction = AuditAction extends infer A ? (A extends `child.${infer Rest}` ? Rest : never) : never;

async function recordChange(
  trx: Db,
  deps: Deps,
  ctx: RequestContext,
  child: { id: string; regionCode: string },
  action: ChildChangeAction,
  changes: { field: string; from: unknown; to: unknown }[],
  comment: string | null = null,
): Promise<void> {
  await insertChildChange(trx, {
    id: newId(),
    child_id: child.id,
    region_code: child.regionCode,
    at: deps.clock.now().toISOString(),
    actor_id: ctx.actor.id,
    actor_name: ctx.actor.displayName,
    action,
    comment,
    changes: JSON.stringify(changes),
  });
  await audit(trx, deps, ctx, {
    action: `child.${action}`,
    targetType: 'child',
    targetId: child.id,
    regionCode: child.regionCode,
    // Field names only: minors' data stays out of the audit log.
    details: { fields: changes.map((c) => c.field), ...(comment ? { comment } : {}) },
  });
}

// ---------------------------------------------------------------- duplicates

export interface DuplicateProbe {
  name: string;
  birthDate: string;
  idNumber: string | null;
  regionCode: string;
  excludeId?: string | undefined;
}

/** What a duplicate check may tell the actor (DuplicateCheckResult), and how many files it found out of his scope. */
export interface DuplicateFindings extends DuplicateCheckResult {
  outOfScope: number;
}

/**
 * The civil-affairs office an actor asks about a file outside his area: his
 * own county's (a city officer's: the city's). Never the other file's county.
 */
export async function civilAffairsContact(db: Db, scopeRegion: string): Promise<RegionRef> {
  const level = regionLevel(scopeRegion);
  const code = level === 'village' || level === 'township' ? `${scopeRegion.slice(0, 6)}000000` : scopeRegion;
  const region = await findRegion(db, code);
  return { code, name: region?.name ?? code, level: regionLevel(code) };
}

/**
 * Files that may describe the same child. Those in the actor's scope are
 * shown as they are. Outside it, only a file with the same ID number counts,
 * and of it only that it exists and whom to ask (issue 11 §3: the check must
 * not tell a guessed number's name, birth date, place or id); similar names
 * outside the scope are not told at all, nor do they stop a registration.
 */
export async function findDuplicates(db: Db, deps: Deps, ctx: RequestContext, probe: DuplicateProbe): Promise<DuplicateFindings> {
  const idHash = probe.idNumber ? deps.crypto.keyedHash(probe.idNumber) : null;
  const rows = await findPossibleDuplicates(db, { idHash, birthDate: probe.birthDate, excludeId: probe.excludeId });
  const candidates: DuplicateCandidate[] = [];
  let outOfScope = 0;
  for (const row of rows) {
    const match: DuplicateCandidate['match'] | null =
      idHash && row.id_hash === idHash
        ? 'same_id_number'
        : row.name === probe.name && row.birth_date === probe.birthDate && row.region_code === probe.regionCode
          ? 'same_name_birth_village'
          : row.birth_date === probe.birthDate && similarNames(probe.name, row.name)
            ? 'similar_name_birth'
            : null;
    if (!match) continue;
    if (!isInScope(ctx.actor, row.region_code)) {
      if (match === 'same_id_number') outOfScope++;
      continue;
    }
    candidates.push({
      id: row.id,
      name: row.name,
      birthDate: row.birth_date,
      idNumberMasked: row.id_masked,
      region: { code: row.region_code, name: row.region_name, level: 'village' },
      status: row.status as DuplicateCandidate['status'],
      match,
    });
  }
  const order = { same_id_number: 0, same_name_birth_village: 1, similar_name_birth: 2 } as const;
  candidates.sort((a, b) => order[a.match] - order[b.match]);
  const elsewhere = outOfScope > 0 ? { match: 'same_id_number' as const, contact: await civilAffairsContact(db, ctx.actor.scopeRegion) } : null;
  return { candidates, elsewhere, outOfScope };
}

/**
 * Every duplicate check is audited, in its own short transaction: how many
 * files it found in and out of the actor's scope — never the number probed
 * nor its hash. `source`: the check route, a registration, an edit, an import.
 */
export function auditDuplicateCheck(deps: Deps, ctx: RequestContext, source: 'check' | 'register' | 'update' | 'import', found: { inScope: number; outOfScope: number }, extra: Record<string, unknown> = {}): Promise<void> {
  return auditRead(deps, ctx, { action: 'child.duplicates.check', details: { source, inScope: found.inScope, outOfScope: found.outOfScope, ...extra } });
}

/**
 * A registration or an edit that the duplicates stop. A file with the same ID
 * number always does (one ID number, one person, one file — issue 12 §1):
 * outside the actor's scope he may ask for the child's transfer; inside it he
 * opens the file, and no reason lets a second one be saved. Any other
 * in-scope candidate stops it unless dismissed with a reason.
 */
function duplicateRefusal(found: DuplicateFindings, dismissed: ReadonlySet<string>): AppError | null {
  const data = { candidates: found.candidates, elsewhere: found.elsewhere } satisfies DuplicateCheckResult;
  if (found.elsewhere) return new AppError('DUPLICATE_ELSEWHERE', { field: 'idNumber', params: { region: found.elsewhere.contact.name }, data });
  const sameId = found.candidates.find((c) => c.match === 'same_id_number');
  if (sameId) return new AppError('DUPLICATE_ID', { field: 'idNumber', params: { where: sameId.region.name }, data });
  if (found.candidates.some((c) => !dismissed.has(c.id))) return new AppError('DUPLICATE', { params: { count: found.candidates.length }, data });
  return null;
}

export async function checkDuplicates(deps: Deps, ctx: RequestContext, probe: DuplicateProbe): Promise<DuplicateCheckResult> {
  requirePermission(ctx.actor, 'child.read');
  await villageInScope(deps.db, ctx, probe.regionCode);
  const found = await findDuplicates(deps.db, deps, ctx, probe);
  await auditDuplicateCheck(deps, ctx, 'check', { inScope: found.candidates.length, outOfScope: found.outOfScope });
  return { candidates: found.candidates, elsewhere: found.elsewhere };
}

// ---------------------------------------------------------------- building rows

export function buildChildRow(
  c: NormalisedChild,
  regionCode: string,
  categories: ChildCategories,
  settings: CategorySettings,
  crypto: Deps['crypto'],
  meta: {
    id: string;
    status: string;
    actorId: string | null;
    now: string;
    /** The name's spellings when the caller has them already (an import spells each distinct name once). */
    spelling?: NameSpelling;
    /** What the schedule depends on beyond the file (kept from the stored row on an edit); a new file has none. */
    visits?: Pick<ScheduleInputs, 'observed' | 'override' | 'lastVisitDate' | 'openedOn'> & { lastSeenDate: string | null; unseenStreak: number };
    schedule?: ScheduleSettings;
    /** The guardianship letters signed so far (an edit may change the carer they were signed for); a new file has none. */
    signedLetters?: readonly SignedLetter[];
  },
): ChildTable {
  const today = localToday({ now: () => new Date(meta.now) });
  const visits = meta.visits ?? { observed: {}, override: null, lastVisitDate: null, openedOn: today, lastSeenDate: null, unseenStreak: 0 };
  const schedule = computeSchedule({ facts: factsOf(c), ...visits }, today, meta.schedule);
  const spelling = meta.spelling ?? spellName(c.name);
  return {
    id: meta.id,
    region_code: regionCode,
    county_code: regionCode.slice(0, 6),
    name: c.name,
    name_pinyin: spelling.pinyin,
    name_initials: spelling.initials,
    name_syllables: spelling.syllables,
    sex: c.sex,
    birth_date: c.birthDate,
    id_hash: c.idNumber ? crypto.keyedHash(c.idNumber) : null,
    id_cipher: c.idNumber ? crypto.encrypt(c.idNumber) : null,
    id_masked: c.idNumber ? maskIdNumber(c.idNumber) : null,
    status: meta.status,
    left_behind: categories.leftBehind.value ? 1 : 0,
    distress: categories.distress.value ? 1 : 0,
    unsupported: categories.unsupported.value ? 1 : 0,
    risk_level: schedule.risk.level,
    school_status: c.profile.schooling.status,
    aging_out_date: agingOutOf(c.birthDate, categories, settings),
    profile: JSON.stringify(sealProfile(c.profile, crypto)),
    categories: JSON.stringify(categories),
    review_comment: null,
    close_reason: null,
    close_note: null,
    closed_at: null,
    version: 1,
    created_by: meta.actorId,
    created_at: meta.now,
    updated_at: meta.now,
    risk_factors: JSON.stringify(schedule.risk.factors),
    risk_observed: JSON.stringify(visits.observed),
    risk_override: visits.override ? JSON.stringify(visits.override) : null,
    last_visit_date: visits.lastVisitDate,
    last_seen_date: visits.lastSeenDate,
    unseen_streak: visits.unseenStreak,
    next_visit_due: schedule.nextDue,
    school_org_id: c.profile.schooling.schoolOrgId ?? null,
    letters_needed: lettersNeeded(c.profile.caregiver).length,
    letters_due: lettersDue(c.profile.caregiver, meta.signedLetters ?? []),
    missing_facts: missingFactsColumn(missingFacts(factsOf(c))),
  };
}

// ---------------------------------------------------------------- use cases

export async function registerChild(deps: Deps, ctx: RequestContext, input: ChildRegistration): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.register');
  const day = today(deps);
  const child = normaliseChild(input, day, { recorder: ctx.actor.displayName });
  const id = newId();
  const refused: { found?: DuplicateFindings } = {};
  const row = await inTransaction(deps.db, async (trx) => {
    await villageInScope(trx, ctx, input.regionCode);
    await checkSchool(trx, child.profile.schooling.schoolOrgId ?? null, input.regionCode);
    const found = await findDuplicates(trx, deps, ctx, { ...child, regionCode: input.regionCode });
    const refusal = duplicateRefusal(found, new Set(input.duplicateDecision?.candidateIds ?? []));
    if (refusal) {
      refused.found = found;
      throw refusal;
    }
    const candidates = found.candidates;
    const settings = await categorySettings(trx);
    const categories = categoriesOf(factsOf(child), day, settings, NO_OVERRIDES);
    const now = deps.clock.now().toISOString();
    // A director's registration awaits the township supervisor; others are already the approvers.
    const status = ctx.actor.role === 'director' ? 'pending' : 'active';
    await insertChild(trx, buildChildRow(child, input.regionCode, categories, settings, deps.crypto, { id, status, actorId: ctx.actor.id, now, schedule: await scheduleSettings(trx) }));
    await insertDuplicateReviews(
      trx,
      candidates.map((c) => ({
        id: newId(),
        child_id: id,
        candidate_id: c.id,
        region_code: input.regionCode,
        decision: 'dismissed',
        reason: input.duplicateDecision?.reason ?? null,
        actor_id: ctx.actor.id,
        at: now,
      })),
    );
    const view = historyView({ ...child, regionCode: input.regionCode });
    await recordChange(trx, deps, ctx, { id, regionCode: input.regionCode }, 'register', diffFiles({}, view), input.duplicateDecision?.reason ?? null);
    return loadChild(trx, ctx, id);
  }).catch(auditRefusedCheck(deps, ctx, 'register', refused));
  return detailOf(deps, row);
}

/** After a transaction a duplicate stopped (and rolled back): the check it made is audited, then the refusal answered. */
function auditRefusedCheck(deps: Deps, ctx: RequestContext, source: 'register' | 'update', refused: { found?: DuplicateFindings }) {
  return async (err: unknown): Promise<never> => {
    if (refused.found) await auditDuplicateCheck(deps, ctx, source, { inScope: refused.found.candidates.length, outOfScope: refused.found.outOfScope });
    throw err;
  };
}

export async function updateChild(deps: Deps, ctx: RequestContext, id: string, input: ChildUpdate): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.update');
  const day = today(deps);
  const refused: { found?: DuplicateFindings } = {};
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    if (current.version !== input.version) throw new AppError('CONFLICT', { field: 'version', data: { currentVersion: current.version } });
    const before = openProfile(current.profile, deps.crypto);
    const beforeId = current.id_cipher ? deps.crypto.decrypt(current.id_cipher) : null;
    const keep = <T>(sent: T | undefined, stored: T) => (sent === undefined ? stored : sent);
    const next = normaliseChild(
      {
        ...input,
        idNumber: keep(input.idNumber, beforeId),
        father: { ...input.father, idNumber: keep(input.father.idNumber, before.father.idNumber), phone: keep(input.father.phone, before.father.phone) },
        mother: { ...input.mother, idNumber: keep(input.mother.idNumber, before.mother.idNumber), phone: keep(input.mother.phone, before.mother.phone) },
        caregiver: { ...input.caregiver, phone: keep(input.caregiver.phone, before.caregiver.phone) },
        // A form that does not show the school link leaves it as it is; null unlinks.
        schooling: { ...input.schooling, schoolOrgId: keep(input.schooling.schoolOrgId, before.schooling.schoolOrgId ?? null) },
      },
      day,
      { recorder: ctx.actor.displayName, before },
    );
    await checkSchool(trx, next.profile.schooling.schoolOrgId ?? null, current.region_code);
    if (next.name !== current.name || next.birthDate !== current.birth_date || next.idNumber !== beforeId) {
      const found = await findDuplicates(trx, deps, ctx, { ...next, regionCode: current.region_code, excludeId: id });
      const refusal = duplicateRefusal(found, new Set(input.duplicateDecision?.candidateIds ?? []));
      if (refusal) {
        refused.found = found;
        throw refusal;
      }
      const candidates = found.candidates;
      await insertDuplicateReviews(
        trx,
        candidates.map((c) => ({
          id: newId(),
          child_id: id,
          candidate_id: c.id,
          region_code: current.region_code,
          decision: 'dismissed',
          reason: input.duplicateDecision?.reason ?? null,
          actor_id: ctx.actor.id,
          at: deps.clock.now().toISOString(),
        })),
      );
    }
    const settings = await categorySettings(trx);
    const previous = JSON.parse(current.categories) as ChildCategories;
    const categories = categoriesOf(factsOf(next), day, settings, overridesOf(previous));
    const rebuilt = buildChildRow(next, current.region_code, categories, settings, deps.crypto, {
      visits: visitsMetaOf(current),
      schedule: await scheduleSettings(trx),
      signedLetters: await findSignedLetters(trx, id),
      id,
      status: current.status === 'returned' && ctx.actor.role === 'director' ? 'pending' : current.status,
      actorId: current.created_by,
      now: deps.clock.now().toISOString(),
    });
    const { created_at: _c, created_by: _b, version: _v, review_comment: _rc, ...changes } = rebuilt;
    if (!(await updateChildIfVersion(trx, id, current.version, changes))) throw new AppError('CONFLICT', { field: 'version' });
    const diff = diffFiles(
      historyView({ name: current.name, sex: current.sex, birthDate: current.birth_date, idNumber: beforeId, regionCode: current.region_code, profile: before }),
      historyView({ ...next, regionCode: current.region_code }),
    );
    const categoryDiff = (['leftBehind', 'distress', 'unsupported'] as const)
      .filter((k) => previous[k].value !== categories[k].value)
      .map((k) => ({ field: `categories.${k}`, from: previous[k].value, to: categories[k].value }));
    await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, 'update', [...diff, ...categoryDiff]);
    return loadChild(trx, ctx, id);
  }).catch(auditRefusedCheck(deps, ctx, 'update', refused));
  return detailOf(deps, row);
}

export async function getChild(deps: Deps, ctx: RequestContext, id: string): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.read');
  const row = await loadChild(deps.db, ctx, id);
  await auditRead(deps, ctx, { action: 'child.read', targetType: 'child', targetId: id, regionCode: row.region_code });
  return detailOf(deps, row);
}

export async function getChildHistory(deps: Deps, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'child.read');
  await loadChild(deps.db, ctx, id);
  const rows = await listChildChanges(deps.db, id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorName: r.actor_name,
      action: r.action,
      comment: r.comment,
      changes: JSON.parse(r.changes) as { field: string; from: unknown; to: unknown }[],
    })),
  };
}

const SORT_COLUMNS = { name: 'name', birthDate: 'birth_date', updatedAt: 'updated_at' } as const;

/**
 * The list query as a scoped repository filter (shared with the xlsx export):
 * region checked against scope, ages as birth-date ranges, ID numbers as keyed hashes.
 */
export function childFilterOf(deps: Deps, ctx: RequestContext, query: Omit<ChildListQuery, 'page' | 'pageSize'>): Omit<ChildFilter, 'page' | 'pageSize'> {
  if (query.region && !isInScope(ctx.actor, query.region)) throw notFound();
  const day = today(deps);
  const desc = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS;
  const q = query.q?.trim();
  // An 18-character query is an ID number: searched through its keyed hash, never in clear.
  const idHash = q && /^\d{17}[\dXx]$/.test(q) ? deps.crypto.keyedHash(q.toUpperCase()) : undefined;
  return {
    scopeRegion: ctx.actor.scopeRegion,
    region: query.region,
    q: idHash ? undefined : q,
    idHash,
    category: query.category,
    risk: query.risk,
    status: query.status,
    school: query.school,
    // Age a..b today ⇔ born in (today − (b+1) years, today − a years].
    bornFrom: query.ageMax !== undefined ? addDays(addYears(day, -(query.ageMax + 1)), 1) : undefined,
    bornTo: query.ageMin !== undefined ? addYears(day, -query.ageMin) : undefined,
    agingOutFrom: query.agingOutWithinDays !== undefined ? day : undefined,
    agingOutBy: query.agingOutWithinDays !== undefined ? addDays(day, query.agingOutWithinDays) : undefined,
    letters: query.letters,
    sort: { column: SORT_COLUMNS[key], desc },
  };
}

export async function listChildrenInScope(deps: Deps, ctx: RequestContext, query: ChildListQuery) {
  requirePermission(ctx.actor, 'child.read');
  const day = today(deps);
  const { rows, total } = await listChildren(deps.db, { ...childFilterOf(deps, ctx, query), page: query.page, pageSize: query.pageSize });
  const schedule = await scheduleSettings(deps.db);
  return { items: rows.map((r) => presentSummary(r, day, schedule)), total, page: query.page, pageSize: query.pageSize };
}

type Transition = { status: string; historyAction: ChildChangeAction; comment?: string | null; extra?: Partial<ChildTable> };

/** Status changes of the approval workflow, each allowed from given states only. */
async function transition(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  action: Action,
  from: readonly string[],
  change: (row: ChildWithRegion, trx: Db) => Transition | Promise<Transition>,
): Promise<ChildDetail> {
  requirePermission(ctx.actor, action);
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, from, ctx);
    const next = await change(current, trx);
    const ok = await updateChildIfVersion(trx, id, current.version, {
      status: next.status,
      updated_at: deps.clock.now().toISOString(),
      ...(next.extra ?? {}),
    });
    if (!ok) throw new AppError('CONFLICT', { data: { currentVersion: current.version } });
    await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, next.historyAction, [{ field: 'status', from: current.status, to: next.status }], next.comment ?? null);
    return loadChild(trx, ctx, id);
  });
  return detailOf(deps, row);
}

/**
 * Approving a registration puts the file on the work lists: its risk and due
 * date are worked out again with today's settings (the same computeSchedule as
 * every other writer), so that a file pending for days enters them as the
 * child page and the lists will state it.
 */
export const approveRegistration = (deps: Deps, ctx: RequestContext, id: string, comment: string | null | undefined) =>
  transition(deps, ctx, id, 'child.approve', ['pending'], async (row, trx) => {
    const profile = openProfile(row.profile, deps.crypto);
    const facts = factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile });
    const schedule = computeSchedule({ facts, ...visitsMetaOf(row) }, today(deps), await scheduleSettings(trx));
    return {
      status: 'active',
      historyAction: 'approve',
      comment,
      extra: { review_comment: comment ?? null, risk_level: schedule.risk.level, risk_factors: JSON.stringify(schedule.risk.factors), next_visit_due: schedule.nextDue },
    };
  });

export const returnRegistration = (deps: Deps, ctx: RequestContext, id: string, comment: string) =>
  transition(deps, ctx, id, 'child.approve', ['pending'], () => ({ status: 'returned', historyAction: 'return', comment, extra: { review_comment: comment } }));

export const closeChild = (deps: Deps, ctx: RequestContext, id: string, reason: string, note: string | null | undefined) =>
  transition(deps, ctx, id, 'child.close', ['active'], () => {
    // A director asks; the supervisor (or above) decides. Their own closure takes effect at once.
    const direct = ctx.actor.role !== 'director';
    return {
      status: direct ? 'closed' : 'closing',
      historyAction: direct ? 'close' : 'request_closure',
      comment: note,
      extra: { close_reason: reason, close_note: note ?? null, ...(direct ? { closed_at: deps.clock.now().toISOString() } : {}) },
    };
  });

export const approveClosure = (deps: Deps, ctx: RequestContext, id: string, comment: string | null | undefined) =>
  transition(deps, ctx, id, 'child.approve', ['closing'], () => ({
    status: 'closed',
    historyAction: 'approve_closure',
    comment,
    extra: { closed_at: deps.clock.now().toISOString(), review_comment: comment ?? null },
  }));

export const rejectClosure = (deps: Deps, ctx: RequestContext, id: string, comment: string) =>
  transition(deps, ctx, id, 'child.approve', ['closing'], () => ({
    status: 'active',
    historyAction: 'reject_closure',
    comment,
    extra: { close_reason: null, close_note: null, review_comment: comment },
  }));

/**
 * Moves the child to another village of the actor's scope, with everything
 * scoped by its village (CHILD_SCOPED_TABLES: visits, reports, referrals,
 * orders, campaign tasks, history) in the same transaction; letters and files
 * are read through the child. Open tasks of campaigns that do not cover the
 * new village are withdrawn. Audit rows stay where they were written.
 */
export async function transferChild(deps: Deps, ctx: RequestContext, id: string, regionCode: string, note: string | null | undefined): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.transfer');
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    if (current.region_code === regionCode) throw invalid('regionCode', 'same_region');
    await villageInScope(trx, ctx, regionCode);
    await moveChild(trx, deps, ctx, current, regionCode, note ?? null);
    return loadChild(trx, ctx, id);
  });
  return detailOf(deps, row);
}

/**
 * The move itself, inside the caller's transaction, for a child the caller
 * has read in the actor's scope: to a village of that scope (transferChild)
 * or to the village a transfer request asked for (issue 12 §1), which the
 * asker had in his. One history entry and one audit row (for a request:
 * written in the decider's scope, naming the request instead of the village).
 */
export async function moveChild(
  trx: Db,
  deps: Deps,
  ctx: RequestContext,
  current: ChildWithRegion,
  regionCode: string,
  note: string | null,
  options: { audit?: { regionCode: string; details: Record<string, unknown>; withoutTo: boolean } } = {},
): Promise<void> {
  const id = current.id;
  requireStatus(current, ['pending', 'returned', 'active'], ctx);
  if (current.region_code === regionCode) throw invalid('regionCode', 'same_region');
  const countyCode = regionCode.slice(0, 6);
  const ok = await updateChildIfVersion(trx, id, current.version, {
    region_code: regionCode,
    county_code: countyCode,
    updated_at: deps.clock.now().toISOString(),
  });
  if (!ok) throw new AppError('CONFLICT');
  // Everything scoped by the child's village goes with it: the old village, township and county no longer see it.
  const tasks = await settleTasksForMove(trx, id, regionCode);
  const moved = await moveChildRecords(trx, id, { regionCode, countyCode });
  await insertChildChange(trx, {
    id: newId(),
    child_id: id,
    region_code: regionCode,
    at: deps.clock.now().toISOString(),
    actor_id: ctx.actor.id,
    actor_name: ctx.actor.displayName,
    action: 'transfer',
    comment: note,
    changes: JSON.stringify([{ field: 'regionCode', from: current.region_code, to: regionCode }]),
  });
  await audit(trx, deps, ctx, {
    action: 'child.transfer',
    targetType: 'child',
    targetId: id,
    regionCode: options.audit?.regionCode ?? regionCode,
    details: { from: current.region_code, ...(options.audit?.withoutTo ? {} : { to: regionCode }), moved, campaignTasks: tasks, ...options.audit?.details },
  });
}

const CATEGORY_KEYS = { left_behind: 'leftBehind', distress: 'distress', unsupported: 'unsupported' } as const;

export async function overrideCategory(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: { category: keyof typeof CATEGORY_KEYS; value: boolean | null; reason: string },
): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.override');
  const day = today(deps);
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    const previous = JSON.parse(current.categories) as ChildCategories;
    const key = CATEGORY_KEYS[input.category];
    const overrides = overridesOf(previous);
    overrides[key] = input.value === null ? null : { value: input.value, reason: input.reason, by: ctx.actor.displayName, at: deps.clock.now().toISOString() };
    const profile = openProfile(current.profile, deps.crypto);
    const settings = await categorySettings(trx);
    const categories = categoriesOf(factsOf({ birthDate: current.birth_date, sex: current.sex as 'male' | 'female', profile }), day, settings, overrides);
    const ok = await updateChildIfVersion(trx, id, current.version, {
      categories: JSON.stringify(categories),
      left_behind: categories.leftBehind.value ? 1 : 0,
      distress: categories.distress.value ? 1 : 0,
      unsupported: categories.unsupported.value ? 1 : 0,
      aging_out_date: agingOutOf(current.birth_date, categories, settings),
      updated_at: deps.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('CONFLICT');
    await recordChange(
      trx,
      deps,
      ctx,
      { id, regionCode: current.region_code },
      input.value === null ? 'clear_override' : 'override',
      [{ field: `categories.${key}`, from: previous[key].value, to: categories[key].value }],
      input.reason,
    );
    return loadChild(trx, ctx, id);
  });
  return detailOf(deps, row);
}

type RevealField = 'idNumber' | 'father.idNumber' | 'mother.idNumber' | 'father.phone' | 'mother.phone' | 'caregiver.phone';

/** Shows one protected number in clear; the reveal itself is audited. */
// ---------------------------------------------------------------- photo

/**
 * Sets the child's photo: the image is checked and re-encoded (location
 * stripped), written under data/files, then recorded with its history row and
 * audit in one transaction; if that fails the bytes are removed again.
 * Earlier photos are kept (marked replaced), as history.
 */
export async function setChildPhoto(deps: Deps, ctx: RequestContext, id: string, upload: Buffer): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.update');
  requireStatus(await loadChild(deps.db, ctx, id), ['pending', 'returned', 'active'], ctx);
  const image = await processImage(upload);
  const fileId = newId();
  const relative = await writeFileBytes(deps, fileId, image.data);
  try {
    const row = await inTransaction(deps.db, async (trx) => {
      const current = await loadChild(trx, ctx, id);
      requireStatus(current, ['pending', 'returned', 'active'], ctx);
      const now = deps.clock.now().toISOString();
      const previous = await findCurrentFile(trx, id, 'child_photo');
      if (previous) await markFileRemoved(trx, previous.id, now, ctx.actor.id);
      await insertFile(trx, fileRowOf({ id: fileId, relative, ...image, keptLocation: false }, { childId: id, purpose: 'child_photo', actorId: ctx.actor.id, at: now }));
      await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, 'photo', [{ field: 'photo', from: previous?.id ?? null, to: fileId }]);
      return current;
    });
    return await detailOf(deps, row);
  } catch (err) {
    await discardFileBytes(deps, relative);
    throw err;
  }
}

/** Takes the photo off the file (the image stays, as history). */
export async function removeChildPhoto(deps: Deps, ctx: RequestContext, id: string): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.update');
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    const previous = await findCurrentFile(trx, id, 'child_photo');
    if (!previous) throw notFound();
    await markFileRemoved(trx, previous.id, deps.clock.now().toISOString(), ctx.actor.id);
    await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, 'photo', [{ field: 'photo', from: previous.id, to: null }]);
    return current;
  });
  return detailOf(deps, row);
}

export async function revealField(deps: Deps, ctx: RequestContext, id: string, field: RevealField): Promise<{ field: string; value: string | null }> {
  requirePermission(ctx.actor, 'child.reveal');
  const row = await loadChild(deps.db, ctx, id);
  const profile: ChildProfile = openProfile(row.profile, deps.crypto);
  const values: Record<RevealField, string | null> = {
    idNumber: row.id_cipher ? deps.crypto.decrypt(row.id_cipher) : null,
    'father.idNumber': profile.father.idNumber,
    'mother.idNumber': profile.mother.idNumber,
    'father.phone': profile.father.phone,
    'mother.phone': profile.mother.phone,
    'caregiver.phone': profile.caregiver.phone,
  };
  await auditRead(deps, ctx, { action: 'child.reveal', targetType: 'child', targetId: id, regionCode: row.region_code, details: { field } });
  return { field, value: values[field] };
}

/**
 * Start-up step (prepareDatabase, after the migrations: they never run the
 * app's pinyin code): spells the names of files stored before the initials and
 * syllables were (migration 0022), and reads their pinyin again with surnames
 * as surnames (单 shan, not dan). A batch per transaction with one audit row
 * (the count, no names); a database with nothing to spell costs one index
 * probe. Returns how many files it spelled.
 */
export async function spellStoredNames(deps: Pick<Deps, 'db' | 'clock' | 'crypto'>, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 5000;
  const spellingOf = new Map<string, NameSpelling>();
  let spelled = 0;
  for (;;) {
    const rows = await listUnspelledChildren(deps.db, batch);
    if (rows.length === 0) return spelled;
    await inTransaction(deps.db, async (trx) => {
      for (const row of rows) {
        let spelling = spellingOf.get(row.name);
        if (spelling === undefined) spellingOf.set(row.name, (spelling = spellName(row.name)));
        await updateChildSpelling(trx, row.id, spelling);
      }
      await audit(trx, deps, null, { action: 'child.names.spell', targetType: 'child', details: { count: rows.length } });
    });
    spelled += rows.length;
  }
}

/**
 * Categories depend on time (a parent's absence reaches 6 months, a child
 * turns 16): re-derive every open file and record each change as history
 * made by the system. Runs daily and from `npm run cli -- rederive`.
 */
export async function rederiveCategories(deps: Deps, options: { batch?: number } = {}): Promise<{ checked: number; changed: number }> {
  const day = today(deps);
  const settings = await categorySettings(deps.db);
  const visitSettings = await scheduleSettings(deps.db);
  const batch = options.batch ?? 1000;
  let after = '';
  let checked = 0;
  let changed = 0;
  for (;;) {
    // Between batches other requests get their turn: on SQLite every statement runs synchronously, so without
    // this a settings change at a million files would hold the whole server until every file was re-derived.
    if (after !== '') await new Promise<void>((resolve) => setImmediate(resolve));
    const rows = await listOpenChildrenAfter(deps.db, after, batch);
    if (rows.length === 0) break;
    await inTransaction(deps.db, async (trx) => {
      for (const row of rows) {
        const previous = JSON.parse(row.categories) as ChildCategories;
        const profile = openProfile(row.profile, deps.crypto);
        const categories = categoriesOf(factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile }), day, settings, overridesOf(previous));
        const diff: { field: string; from: unknown; to: unknown }[] = (['leftBehind', 'distress', 'unsupported'] as const)
          .filter((k) => previous[k].value !== categories[k].value)
          .map((k) => ({ field: `categories.${k}`, from: previous[k].value, to: categories[k].value }));
        const agingOut = agingOutOf(row.birth_date, categories, settings);
        // Risk and due date move with time too (a child turns 8) and with the schedule settings.
        const schedule = computeSchedule({ facts: factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile }), ...visitsMetaOf(row) }, day, visitSettings);
        const riskFactors = JSON.stringify(schedule.risk.factors);
        if (schedule.risk.level !== row.risk_level) diff.push({ field: 'riskLevel', from: row.risk_level, to: schedule.risk.level });
        const scheduleMoved = riskFactors !== row.risk_factors || schedule.nextDue !== row.next_visit_due;
        // Kept with the file, so the work list 缺少关键信息 finds it (files from before the column are filled here too).
        const missing = missingFactsColumn(missingFacts(factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile })));
        if (diff.length === 0 && agingOut === row.aging_out_date && !scheduleMoved && missing === row.missing_facts) continue;
        changed++;
        await updateChildColumns(trx, row.id, {
          categories: JSON.stringify(categories),
          left_behind: categories.leftBehind.value ? 1 : 0,
          distress: categories.distress.value ? 1 : 0,
          unsupported: categories.unsupported.value ? 1 : 0,
          aging_out_date: agingOut,
          risk_level: schedule.risk.level,
          risk_factors: riskFactors,
          next_visit_due: schedule.nextDue,
          missing_facts: missing,
        });
        if (diff.length > 0) {
          await insertChildChange(trx, {
            id: newId(),
            child_id: row.id,
            region_code: row.region_code,
            at: deps.clock.now().toISOString(),
            actor_id: null,
            actor_name: null,
            action: 'rederive',
            comment: null,
            changes: JSON.stringify(diff),
          });
          await audit(trx, deps, null, { action: 'child.rederive', targetType: 'child', targetId: row.id, regionCode: row.region_code, details: { fields: diff.map((d) => d.field) } });
        }
      }
    });
    checked += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  return { checked, changed };
}
