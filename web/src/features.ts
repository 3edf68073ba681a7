/**
 * The app's features, each a folder of web/src/features/ declaring its pages and menu entries
 * (its index.ts). The order is the menu's. A new feature is one folder and one line here.
 */
import { auditFeature } from './features/audit/index.js';
import { authFeature } from './features/auth/index.js';
import { campaignsFeature } from './features/campaigns/index.js';
import { childrenImportFeature } from './features/children-import/index.js';
import { childrenFeature } from './features/children/index.js';
import { coverageFeature } from './features/coverage/index.js';
import { homeFeature } from './features/home/index.js';
import { inboxFeature } from './features/inbox/index.js';
import { lettersFeature } from './features/letters/index.js';
import { ordersFeature } from './features/orders/index.js';
import { organisationsFeature } from './features/organisations/index.js';
import { outboxFeature } from './features/outbox/index.js';
import { referralsFeature } from './features/referrals/index.js';
import { regionsFeature } from './features/regions/index.js';
import { reportsFeature } from './features/reports/index.js';
import { settingsFeature } from './features/settings/index.js';
import { transferRequestsFeature } from './features/transfer-requests/index.js';
import { usersFeature } from './features/users/index.js';
import { visitsFeature } from './features/visits/index.js';
import { worklistsFeature } from './features/worklists/index.js';
import type { Feature } from './shared/feature.js';

export const FEATURES: readonly Feature[] = [
  homeFeature,
  worklistsFeature,
  outboxFeature,
  inboxFeature,
  reportsFeature,
  referralsFeature,
  ordersFeature,
  campaignsFeature,
  childrenFeature,
  regionsFeature,
  coverageFeature,
  usersFeature,
  organisationsFeature,
  auditFeature,
  settingsFeature,
  visitsFeature,
  authFeature,
  // No menu entry of their own.
  childrenImportFeature,
  lettersFeature,
  transferRequestsFeature,
];
