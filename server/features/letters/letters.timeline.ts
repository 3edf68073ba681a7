/** A signed guardianship letter on the child's timeline (features/visits/timeline.service.ts). */
import type { LetterKind } from '../../../domain/letters/rules.js';
import type { Locale } from '../../../domain/locale.js';
import type { ChildTimeline } from '../../../domain/visits/schema.js';
import type { GuardianshipLetterRow } from '../../db/schema.js';

const TITLES: Record<Locale, Record<LetterKind, string>> = {
  'zh-CN': { guardian: '签订监护人责任书', entrusted: '签订委托监护责任书' },
  'en-US': { guardian: 'Guardian responsibility letter signed', entrusted: 'Entrusted guardianship letter signed' },
};

/** At the signing date; `current` says whether it is still signed for the carer the file records. */
export function letterItem(row: GuardianshipLetterRow, currentCarerKey: string, locale: Locale): ChildTimeline['items'][number] {
  const kind = row.kind as LetterKind;
  return {
    at: row.signed_on,
    kind: 'letter',
    title: TITLES[locale][kind],
    actor: row.recorded_by_name,
    visitId: null,
    details: { letterId: row.id, kind, guardianName: row.guardian_name, carerName: row.carer_name, current: row.carer_key === currentCarerKey, scan: row.scan_file_id !== null },
  };
}
