/** Test data for referrals, shared by the feature tests and the access-matrix walker. */
import type { ReferralInput, ReferralWorkInput } from '../../../domain/referrals/schema.js';
import type { Db } from '../../db/database.js';
import type { Session } from '../../test/harness.js';
import { multipart } from '../children-import/import-test-files.js';

export function referralInput(toOrganisationId: string, overrides: Partial<ReferralInput> = {}): ReferralInput {
  return { toOrganisationId, reason: '孩子近期情绪低落、拒绝上学，需要心理评估和辅导', urgency: 'urgent', shareContacts: true, ...overrides };
}

/** A counselling session on the harness's day (2026-11-29): what an agency records while serving. */
export function sessionInput(overrides: Partial<Extract<ReferralWorkInput, { kind: 'session' }>> = {}): ReferralWorkInput {
  return { kind: 'session', date: '2026-11-29', durationMinutes: 50, sessionKind: 'individual', note: '建立信任关系，孩子愿意谈学校的事', ...overrides };
}

/** The demo organisation of this kind (the seed makes one of each, with an account `agency-<kind>`). */
export async function organisationOfKind(db: Db, kind: string): Promise<string> {
  return (await db.selectFrom('organisations').select('id').where('kind', '=', kind).orderBy('created_at').executeTakeFirstOrThrow()).id;
}

/** A small, complete one-page PDF (a "scan"), as a scanner app would send it. */
export function scanPdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}

/** Attaches a file to a referral as `session` (multipart field "file"). */
export function attachFile(session: Session, referralId: string, fileName: string, content: Buffer) {
  const { body, headers } = multipart(fileName, content);
  return session.request('POST', `/api/referrals/${referralId}/attachments`, body, headers);
}
