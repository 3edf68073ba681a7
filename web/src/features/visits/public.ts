/**
 * What other features may show of the visits feature. With its api.ts (query hooks), the only files of
 * this folder that another feature imports. Kept apart from api.ts so that a page importing hooks
 * does not pull these components into its chunk.
 */
export { ChildScheduleCard } from './child-schedule-card.js';
export { DueText, VisitStateTag } from './due-state.js';
export { VisitDetailDrawer } from './visit-detail.js';
export { VisitList } from './visit-list.js';
export { todayInChina } from './visit-values.js';
