/** Test data for visits, shared by the feature tests and the access-matrix walker. */
import type { VisitInput } from '../../../domain/visits/schema.js';
import { multipart } from '../children-import/import-test-files.js';
import type { Session } from '../../test/harness.js';

/** A quiet home visit: everything fine, the child seen, no risk factor found. */
export function visitInput(overrides: Partial<VisitInput> = {}): VisitInput {
  const fine = { rating: 'fine' as const };
  return {
    visitDate: '2026-11-28',
    kind: 'home',
    seenInPerson: true,
    present: ['child', 'grandparent'],
    checklist: { safety: fine, living_conditions: fine, carer_care: fine, schooling: fine, health: fine, emotional_state: fine, needs: fine },
    factors: { living_alone: false, under8_unattended: false, carer_unfit: false, abuse_signs: false, self_harm_talk: false, psych_concern: false },
    notes: null,
    followUps: [],
    photoIds: [],
    ...overrides,
  };
}

export function uploadVisitPhoto(session: Session, childId: string, content: Buffer, options: { fileName?: string; keepLocation?: boolean } = {}) {
  const { body, headers } = multipart(options.fileName ?? 'visit.jpg', content);
  return session.request('POST', `/api/children/${childId}/visit-photos${options.keepLocation ? '?keepLocation=true' : ''}`, body, headers);
}
