/**
 * Guardianship letters (监护人责任书 / 委托监护责任书, DESIGN §5): which letters a
 * child needs and whether they hold, the printable letter filled from the file,
 * the record of a signed paper and its scan. Every write: permission, scope,
 * one transaction that also recomputes the file's `letters_due` counter (what
 * the work-list coverage counts read), one audit row without personal data.
 */
import { actorCan } from '../../../domain/access.js';
import { ENTRUSTED_DUTIES, GUARDIAN_DUTIES, carerKey, letterState, lettersDue, lettersNeeded, signingDateProblem, type CarerFacts, type LetterKind, type SignedLetter } from '../../../domain/letters/rules.js';
import type { ChildLetters, LetterDocument, LetterRecord, LetterSignInput } from '../../../domain/letters/schema.js';
import type { ChildProfile } from '../../../domain/children/schema.js';
import { regionLevel } from '../../../domain/regions.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import type { ChildRow, GuardianshipLetterRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { openProfile } from '../children/child-file.js';
import { findChildInScope } from '../children/children.repository.js';
import { findFile, insertFile } from '../files/files.repository.js';
import { discardFileBytes, fileRefOf, fileRowOf, processImage, writeFileBytes } from '../files/files.service.js';
import { findRegionPath } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import { findLetter, insertLetter, listLetters, listStaffContacts, setLetterScan, setLettersDue } from './letters.repository.js';
import { normalisePersonName } from '../../../domain/person-name.js';

/** Letters are signed for files in the register or on their way into it, not for closed ones. */
const SIGNABLE = new Set(['pending', 'returned', 'active']);

async function childInScope(db: Db, ctx: RequestContext, id: string): Promise<ChildRow> {
  const row = await findChildInScope(db, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  return row;
}

/** The carer as the file records it (names are not encrypted; the phone is, and is not needed here). */
function carerOf(row: ChildRow): CarerFacts {
  const { caregiver } = JSON.parse(row.profile) as ChildProfile;
  return { kind: caregiver.kind, name: caregiver.name, relation: caregiver.relation };
}

const signedOf = (rows: GuardianshipLetterRow[]): SignedLetter[] => rows.map((r) => ({ kind: r.kind as LetterKind, carerKey: r.carer_key }));

async function scanRefs(db: Db, rows: GuardianshipLetterRow[]): Promise<Map<string, ReturnType<typeof fileRefOf>>> {
  const refs = new Map<string, ReturnType<typeof fileRefOf>>();
  for (const r of rows) {
    if (!r.scan_file_id) continue;
    const file = await findFile(db, r.scan_file_id);
    if (file) refs.set(r.id, fileRefOf(file));
  }
  return refs;
}

function presentLetter(row: GuardianshipLetterRow, currentKey: string, scan: ReturnType<typeof fileRefOf> | undefined): LetterRecord {
  return {
    id: row.id,
    kind: row.kind as LetterKind,
    signedOn: row.signed_on,
    guardianName: row.guardian_name,
    guardianRelation: row.guardian_relation as LetterRecord['guardianRelation'],
    carer: { kind: row.carer_kind, name: row.carer_name, relation: row.carer_relation },
    current: row.carer_key === currentKey,
    scan: scan ?? null,
    note: row.note,
    recordedBy: row.recorded_by_name,
    recordedAt: row.recorded_at,
  };
}

async function lettersOf(db: Db, ctx: RequestContext, child: ChildRow): Promise<ChildLetters> {
  const rows = await listLetters(db, child.id);
  const carer = carerOf(child);
  const key = carerKey(carer);
  const scans = await scanRefs(db, rows);
  const history = rows.map((r) => presentLetter(r, key, scans.get(r.id)));
  const signed = signedOf(rows);
  return {
    childId: child.id,
    needed: lettersNeeded(carer).map((kind) => ({
      kind,
      state: letterState(kind, carer, signed),
      // Newest first: the first of its kind is the latest; a current one wins over an older carer's.
      latest: history.find((l) => l.kind === kind && l.current) ?? history.find((l) => l.kind === kind) ?? null,
    })),
    history,
    can: { record: SIGNABLE.has(child.status) && actorCan(ctx.actor, 'letter.record') },
  };
}

export async function getChildLetters(deps: Deps, ctx: RequestContext, childId: string): Promise<ChildLetters> {
  requirePermission(ctx.actor, 'letter.read');
  return lettersOf(deps.db, ctx, await childInScope(deps.db, ctx, childId));
}

/**
 * Records a signed paper letter. It is signed for the carer the file records
 * now (a snapshot is kept); once the file names another carer it needs renewal.
 */
export async function signLetter(deps: Deps, ctx: RequestContext, childId: string, input: LetterSignInput): Promise<ChildLetters> {
  requirePermission(ctx.actor, 'letter.record');
  return inTransaction(deps.db, async (trx) => {
    const child = await childInScope(trx, ctx, childId);
    if (!SIGNABLE.has(child.status)) throw invalid('kind', 'letter_file_closed');
    const carer = carerOf(child);
    if (!lettersNeeded(carer).includes(input.kind)) throw invalid('kind', 'letter_not_needed');
    const problem = signingDateProblem(input.signedOn, localToday(deps.clock), child.birth_date);
    if (problem) throw invalid('signedOn', problem);
    if (input.kind === 'entrusted') {
      if (carer.kind === 'alone' || !carer.name) throw invalid('kind', 'no_carer');
      // Compared as names are stored (a ・ typed for the ·, spaces), ignoring blanks.
      const said = normalisePersonName(input.carerName ?? '').replace(/\s+/g, '');
      if (said !== normalisePersonName(carer.name).replace(/\s+/g, '')) throw invalid('carerName', 'carer_mismatch');
    }
    const id = newId();
    const now = deps.clock.now().toISOString();
    await insertLetter(trx, {
      id,
      child_id: child.id,
      kind: input.kind,
      signed_on: input.signedOn,
      guardian_name: normalisePersonName(input.guardianName),
      guardian_relation: input.guardianRelation,
      carer_key: carerKey(carer),
      carer_kind: carer.kind,
      carer_name: carer.name,
      carer_relation: carer.relation,
      scan_file_id: null,
      note: input.note?.trim() || null,
      recorded_by: ctx.actor.id,
      recorded_by_name: ctx.actor.displayName,
      recorded_at: now,
    });
    await setLettersDue(trx, child.id, lettersDue(carer, signedOf(await listLetters(trx, child.id))));
    await audit(trx, deps, ctx, { action: 'letter.sign', targetType: 'child', targetId: child.id, regionCode: child.region_code, details: { letterId: id, kind: input.kind } });
    return lettersOf(trx, ctx, child);
  });
}

/** The scan (a phone photo of the signed paper): checked and re-encoded like any photo, then attached. A new scan replaces the old one. */
export async function attachLetterScan(deps: Deps, ctx: RequestContext, letterId: string, upload: Buffer): Promise<ChildLetters> {
  requirePermission(ctx.actor, 'letter.record');
  const letter = await findLetter(deps.db, letterId);
  if (!letter) throw notFound();
  if (!SIGNABLE.has((await childInScope(deps.db, ctx, letter.child_id)).status)) throw invalid('scan', 'letter_file_closed');
  const image = await processImage(upload, { field: 'scan' });
  const fileId = newId();
  const relative = await writeFileBytes(deps, fileId, image.data);
  try {
    return await inTransaction(deps.db, async (trx) => {
      const child = await childInScope(trx, ctx, letter.child_id);
      await insertFile(trx, fileRowOf({ id: fileId, relative, ...image }, { childId: child.id, purpose: 'letter_scan', actorId: ctx.actor.id, at: deps.clock.now().toISOString() }));
      await setLetterScan(trx, letterId, fileId);
      await audit(trx, deps, ctx, { action: 'letter.scan', targetType: 'child', targetId: child.id, regionCode: child.region_code, details: { letterId, fileId } });
      return lettersOf(trx, ctx, child);
    });
  } catch (err) {
    await discardFileBytes(deps, relative);
    throw err;
  }
}

const workPlace = (p: ChildProfile['father']) => [p.workProvince, p.workCity, p.employer].filter(Boolean).join(' ') || null;

/**
 * The letter to print, filled from the file. Phones are in clear (the paper
 * needs them), so printing is audited like revealing a number.
 */
export async function getLetterDocument(deps: Deps, ctx: RequestContext, childId: string, kind: LetterKind): Promise<LetterDocument> {
  requirePermission(ctx.actor, 'letter.record');
  const child = await childInScope(deps.db, ctx, childId);
  if (!SIGNABLE.has(child.status)) throw invalid('kind', 'letter_file_closed');
  const carer = carerOf(child);
  if (!lettersNeeded(carer).includes(kind)) throw invalid('kind', 'letter_not_needed');
  const profile = openProfile(child.profile, deps.crypto);
  const path = await findRegionPath(deps.db, child.region_code);
  const township = path.find((r) => regionLevel(r.code) === 'township');
  const [directors, supervisors] = await Promise.all([listStaffContacts(deps.db, 'director', child.region_code), township ? listStaffContacts(deps.db, 'supervisor', township.code) : Promise.resolve([])]);
  const today = localToday(deps.clock);
  await inTransaction(deps.db, (trx) => audit(trx, deps, ctx, { action: 'letter.print', targetType: 'child', targetId: child.id, regionCode: child.region_code, details: { kind } }));
  return {
    kind,
    reference: `${child.region_code}-${child.id.slice(-8).toUpperCase()}-${kind === 'guardian' ? 'J' : 'W'}`,
    printedOn: today,
    path: path.map(presentRegionRef),
    child: {
      name: child.name,
      sex: child.sex,
      birthDate: child.birth_date,
      idNumberMasked: child.id_masked,
      address: profile.address,
      school: profile.schooling.school,
      grade: profile.schooling.grade,
      className: profile.schooling.className ?? null,
    },
    father: { name: profile.father.name, phone: profile.father.phone, status: profile.father.status, workPlace: workPlace(profile.father) },
    mother: { name: profile.mother.name, phone: profile.mother.phone, status: profile.mother.status, workPlace: workPlace(profile.mother) },
    carer: { kind: profile.caregiver.kind, name: profile.caregiver.name, relation: profile.caregiver.relation, phone: profile.caregiver.phone, age: profile.caregiver.age },
    directors,
    supervisors,
    duties: [...GUARDIAN_DUTIES],
    entrustedDuties: kind === 'entrusted' ? [...ENTRUSTED_DUTIES] : [],
  };
}
