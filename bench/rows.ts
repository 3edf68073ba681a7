/**
 * Rows of the children table for the generator: the same columns as the
 * app's buildChildRow, built faster (spellings memoised, pooled parents'
 * numbers encrypted once). Used by the generator's worker threads.
 */
import { missingFacts, missingFactsColumn } from '../domain/children/facts-missing.js';
import { DEFAULT_CATEGORY_SETTINGS } from '../domain/children/facts.js';
import { maskIdNumber } from '../domain/children/id-number.js';
import { computeSchedule } from '../domain/visits/child-schedule.js';
import { localToday } from '../server/core/clock.js';
import type { FieldCrypto } from '../server/core/crypto.js';
import type { ChildTable } from '../server/db/schema.js';
import { agingOutOf, categoriesOf, factsOf, NO_OVERRIDES, normaliseChild, sealProfile, type NormalisedChild } from '../server/features/children/child-file.js';
import { spellName, type NameSpelling } from '../domain/children/name-search.js';
import { buildChildRow } from '../server/features/children/child-row.js';
import { seededRandom } from '../server/seed/random.js';
import { v7 } from 'uuid';
import { lettersNeeded } from '../domain/letters/rules.js';
import { childInput, childStatus, phonePool } from './children-data.js';

export const COLUMNS = [
  'id', 'region_code', 'county_code', 'name', 'name_pinyin', 'name_initials', 'name_syllables', 'sex', 'birth_date', 'id_hash', 'id_cipher', 'id_masked', 'status',
  'left_behind', 'distress', 'unsupported', 'risk_level', 'school_status', 'aging_out_date', 'profile', 'categories',
  'review_comment', 'close_reason', 'close_note', 'closed_at', 'version', 'created_by', 'created_at', 'updated_at',
  'risk_factors', 'risk_observed', 'risk_override', 'last_visit_date', 'last_seen_date', 'unseen_streak', 'next_visit_due', 'school_org_id',
  'letters_needed', 'letters_due', 'missing_facts',
] as const satisfies readonly (keyof ChildTable)[];

/**
 * Encrypts each distinct pooled value (parents' phones and ID numbers) once;
 * anything else (the child's own ID number) is encrypted per row.
 */
export function pooledCrypto(real: FieldCrypto): FieldCrypto {
  const cache = new Map<string, string>();
  return {
    encrypt(plain) {
      let c = cache.get(plain);
      if (c === undefined) {
        c = real.encrypt(plain);
        if (cache.size < 100_000) cache.set(plain, c);
      }
      return c;
    },
    decrypt: (s) => real.decrypt(s),
    keyedHash: (s) => real.keyedHash(s),
    auditMac: (s) => real.auditMac(s),
    keyCheck: () => real.keyCheck(),
  };
}

export interface RowMeta {
  id: string;
  status: string;
  now: string;
  updated: string;
}

/** Same columns as buildChildRow (server/features/children/child-row.ts); checked against it by selfCheck. */
export function fastRowBuilder(real: FieldCrypto) {
  const pooled = pooledCrypto(real);
  const spellingOf = new Map<string, NameSpelling>();
  return (c: NormalisedChild, regionCode: string, today: string, meta: RowMeta): ChildTable => {
    const categories = categoriesOf(factsOf(c), today, DEFAULT_CATEGORY_SETTINGS, NO_OVERRIDES);
    const opened = localToday({ now: () => new Date(meta.now) });
    const schedule = computeSchedule({ facts: factsOf(c), observed: {}, override: null, lastVisitDate: null, openedOn: opened }, opened);
    let spelling = spellingOf.get(c.name);
    if (spelling === undefined) spellingOf.set(c.name, (spelling = spellName(c.name)));
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
      id_hash: c.idNumber ? real.keyedHash(c.idNumber) : null,
      id_cipher: c.idNumber ? real.encrypt(c.idNumber) : null,
      id_masked: c.idNumber ? maskIdNumber(c.idNumber) : null,
      status: meta.status,
      left_behind: categories.leftBehind.value ? 1 : 0,
      distress: categories.distress.value ? 1 : 0,
      unsupported: categories.unsupported.value ? 1 : 0,
      risk_level: schedule.risk.level,
      school_status: c.profile.schooling.status,
      aging_out_date: agingOutOf(c.birthDate, categories, DEFAULT_CATEGORY_SETTINGS),
      profile: JSON.stringify(sealProfile(c.profile, pooled)),
      categories: JSON.stringify(categories),
      review_comment: null,
      close_reason: meta.status === 'closed' ? 'aged_out' : meta.status === 'closing' ? 'parent_returned' : null,
      close_note: null,
      closed_at: meta.status === 'closed' ? meta.updated : null,
      version: meta.updated === meta.now ? 1 : 2,
      created_by: null,
      created_at: meta.now,
      updated_at: meta.updated,
      risk_factors: JSON.stringify(schedule.risk.factors),
      risk_observed: '{}',
      risk_override: null,
      last_visit_date: null,
      last_seen_date: null,
      unseen_streak: 0,
      next_visit_due: schedule.nextDue,
      school_org_id: null,
      letters_needed: lettersNeeded(c.profile.caregiver).length,
      letters_due: lettersNeeded(c.profile.caregiver).length,
      missing_facts: missingFactsColumn(missingFacts(factsOf(c))),
    };
  };
}

/** The fast builder must agree with the app's buildChildRow (ids and per-row ciphertexts aside). */
export function selfCheck(real: FieldCrypto, today: string): void {
  const random = seededRandom(1);
  const phones = phonePool(random, 100);
  const build = fastRowBuilder(real);
  for (let i = 0; i < 500; i++) {
    const c = normaliseChild(childInput(random, today, '431224', phones), today);
    const meta = { id: 'x', status: 'active', now: '2026-01-01T00:00:00.000Z', updated: '2026-01-01T00:00:00.000Z' };
    const fast = build(c, '431224101201', today, meta);
    const cats = categoriesOf(factsOf(c), today, DEFAULT_CATEGORY_SETTINGS, NO_OVERRIDES);
    const real_ = buildChildRow(c, '431224101201', cats, DEFAULT_CATEGORY_SETTINGS, real, { id: 'x', status: 'active', actorId: null, now: meta.now });
    for (const col of COLUMNS) {
      const open = (v: string | null) => (v ? real.decrypt(v) : null);
      const [a, b] =
        col === 'id_cipher'
          ? [open(fast.id_cipher), open(real_.id_cipher)]
          : col === 'profile'
            ? [JSON.stringify(JSON.parse(fast.profile), (k, v: unknown) => (typeof v === 'string' && v.startsWith('v1:') ? real.decrypt(v) : v)),
               JSON.stringify(JSON.parse(real_.profile), (k, v: unknown) => (typeof v === 'string' && v.startsWith('v1:') ? real.decrypt(v) : v))]
            : [fast[col], real_[col]];
      if (a !== b) throw new Error(`fast row builder disagrees with buildChildRow on ${col}: ${String(a)} ≠ ${String(b)}`);
    }
  }
}

export interface BatchPlan {
  n: number;
  seed: number;
  nowMs: number;
  villages: string[];
  /** Cumulative weights of the villages (0..1]. */
  cumulative: Float64Array;
}

function pickWeighted(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Villages get unequal shares (some 3× others); communities in urban streets are larger. */
export function villageWeights(random: () => number, codes: string[]): Float64Array {
  const cumulative = new Float64Array(codes.length);
  let sum = 0;
  codes.forEach((code, i) => {
    const community = Number(code.slice(9)) < 200;
    sum += (0.4 + random() * 1.2) * (community ? 1.6 : 1);
    cumulative[i] = sum;
  });
  for (let i = 0; i < cumulative.length; i++) cumulative[i]! /= sum;
  return cumulative;
}

const RISK = ['low', 'low', 'low', 'low', 'low', 'low', 'medium', 'medium', 'high', 'urgent'];
const SPAN_MS = 3 * 365 * 86400_000; // registered over the last three years

/** Rows [from, to) as positional values in COLUMNS order; deterministic per batch. */
export function makeBatchBuilder(plan: BatchPlan, real: FieldCrypto) {
  const build = fastRowBuilder(real);
  const phones = phonePool(seededRandom(plan.seed), 20_000);
  const today = new Date(plan.nowMs).toISOString().slice(0, 10);
  return (batch: number, from: number, to: number): unknown[][] => {
    const random = seededRandom(plan.seed * 7919 + batch);
    const out: unknown[][] = [];
    for (let i = from; i < to; i++) {
      const region = plan.villages[pickWeighted(plan.cumulative, random())]!;
      const c = normaliseChild(childInput(random, today, region.slice(0, 6), phones), today);
      // Registered in time order (UUIDv7 ids ascend), never before birth; most files edited since.
      let createdMs = plan.nowMs - SPAN_MS + Math.floor(((i + random()) / plan.n) * SPAN_MS);
      const birthMs = Date.parse(`${c.birthDate}T08:00:00Z`);
      if (createdMs < birthMs) createdMs = birthMs + Math.floor(random() * 86400_000 * 30);
      if (createdMs > plan.nowMs) createdMs = plan.nowMs - 1000;
      const updatedMs = random() < 0.3 ? createdMs : createdMs + Math.floor(random() * (plan.nowMs - createdMs));
      const created = new Date(createdMs).toISOString();
      const row = build(c, region, today, { id: v7({ msecs: createdMs }), status: childStatus(random), now: created, updated: new Date(updatedMs).toISOString() });
      // buildChildRow always writes 'low'; an assessed caseload is spread (the list filters on it).
      if (row.left_behind || row.distress || row.unsupported) row.risk_level = RISK[Math.floor(random() * RISK.length)]!;
      out.push(COLUMNS.map((k) => row[k]));
    }
    return out;
  };
}
