/**
 * What other features may show of the referrals feature. With its api.ts (query hooks), the only files of
 * this folder that another feature imports. Kept apart from api.ts so that a page importing hooks
 * does not pull these components into its chunk.
 */
export { ReferralAttachmentList, ReferralStateTag, ReferralTrail, UrgencyTag, WorkTotals } from './referrals-page.js';
