import type { Feature } from '../../shared/feature.js';

/** No page of its own: its card is on the work list and its form step on the child form. */
export const transferRequestsFeature: Feature = { name: 'transfer-requests' };
