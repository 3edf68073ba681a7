/** Test data for referrals, shared by the feature tests and the access-matrix walker. */
import type { ReferralInput } from '../../../domain/referrals/schema.js';
import type { Db } from '../../db/database.js';

export function referralInput(toOrganisationId: string, overrides: Partial<ReferralInput> = {}): ReferralInput {
  return { toOrganisationId, reason: '孩子近期情绪低落、拒绝上学，需要心理评估和辅导', urgency: 'urgent', shareContacts: true, ...overrides };
}

/** The demo organisation of this kind (the seed makes one of each, with an account `agency-<kind>`). */
export async function organisationOfKind(db: Db, kind: string): Promise<string> {
  return (await db.selectFrom('organisations').select('id').where('kind', '=', kind).orderBy('created_at').executeTakeFirstOrThrow()).id;
}
