/**
 * Demo guardianship letters: most active files have their letters signed,
 * with villages ranging from diligent to lagging, and some letters signed for
 * an earlier carer (to renew), so coverage tables and work lists show a
 * plausible spread. Deterministic (seeded PRNG).
 */
import { addDays } from '../../domain/children/dates.js';
import { carerKey, lettersDue, lettersNeeded, type SignedLetter } from '../../domain/letters/rules.js';
import type { NormalisedChild } from '../features/children/child-file.js';
import { newId } from '../core/ids.js';
import type { ChildTable, GuardianshipLetterTable } from '../db/schema.js';
import { seededRandom } from './random.js';

export interface DemoLetterActor {
  id: string;
  name: string;
}

/**
 * Letters for the files (whose `letters_due` is set accordingly). A village's
 * diligence is drawn once; each needed letter is then signed with that chance.
 */
export function planDemoLetters(files: { row: ChildTable; child: NormalisedChild }[], directors: Map<string, DemoLetterActor>, today: string): GuardianshipLetterTable[] {
  const random = seededRandom(20261129);
  const diligence = new Map<string, number>();
  const letters: GuardianshipLetterTable[] = [];
  for (const { row, child } of files) {
    if (row.status !== 'active' && row.status !== 'closing') continue;
    let rate = diligence.get(row.region_code);
    if (rate === undefined) diligence.set(row.region_code, (rate = random() < 0.15 ? 0.35 + random() * 0.3 : 0.85 + random() * 0.15));
    const carer = { kind: child.profile.caregiver.kind, name: child.profile.caregiver.name, relation: child.profile.caregiver.relation };
    const signer = child.profile.father.name ? { name: child.profile.father.name, relation: 'father' } : { name: child.profile.mother.name ?? '监护人', relation: child.profile.mother.name ? 'mother' : 'guardian' };
    const actor = directors.get(row.region_code);
    const signed: SignedLetter[] = [];
    for (const kind of lettersNeeded(carer)) {
      if (random() >= rate) continue;
      if (kind === 'entrusted' && (carer.kind === 'alone' || !carer.name)) continue;
      // One in twenty was signed for an earlier carer and now waits for renewal.
      const stale = random() < 0.05;
      const key = stale ? carerKey({ ...carer, name: `${carer.name ?? ''}（原）` }) : carerKey(carer);
      const opened = row.created_at.slice(0, 10);
      const span = Math.max(0, Math.round((Date.parse(today) - Date.parse(opened)) / 86_400_000));
      const signedOn = addDays(opened, Math.floor(random() * Math.min(span + 1, 120)));
      letters.push({
        id: newId(),
        child_id: row.id,
        kind,
        signed_on: signedOn > today ? today : signedOn,
        guardian_name: signer.name,
        guardian_relation: signer.relation,
        carer_key: key,
        carer_kind: carer.kind,
        carer_name: stale ? `${carer.name ?? ''}（原）` : carer.name,
        carer_relation: carer.relation,
        scan_file_id: null,
        note: null,
        recorded_by: actor?.id ?? null,
        recorded_by_name: actor?.name ?? '演示数据',
        recorded_at: `${signedOn > today ? today : signedOn}T02:00:00.000Z`,
      });
      signed.push({ kind, carerKey: key });
    }
    row.letters_due = lettersDue(carer, signed);
  }
  return letters;
}
