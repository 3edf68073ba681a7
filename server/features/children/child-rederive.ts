/**
 * Work on every stored file outside requests: names spelled at start-up, and
 * categories, risk and due dates re-derived daily (they move with time) and
 * after a settings change.
 */
import { missingFacts, missingFactsColumn } from '../../../domain/children/facts-missing.js';
import { type NameSpelling, spellName } from '../../../domain/children/name-search.js';
import type { ChildCategories } from '../../../domain/children/schema.js';
import { computeSchedule } from '../../../domain/visits/child-schedule.js';
import type { Deps } from '../../core/deps.js';
import { newId } from '../../core/ids.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { agingOutOf, categoriesOf, factsOf, openProfile, overridesOf } from './child-file.js';
import { visitsMetaOf } from './child-row.js';
import { today } from './child-steps.js';
import { insertChildChange, listOpenChildrenAfter, listUnspelledChildren, updateChildColumns, updateChildSpelling } from './children.repository.js';
import { categorySettings, scheduleSettings } from '../shared/stored-settings.js';

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
