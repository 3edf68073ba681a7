/**
 * What other features may show of the orders feature. With its api.ts (query hooks), the only files of
 * this folder that another feature imports. Kept apart from api.ts so that a page importing hooks
 * does not pull these components into its chunk.
 */
export { OrderAddButton, OrderTimelineFlags } from './order-add.js';
