import type { Locale } from '../../domain/locale.js';
import type { Role } from '../../domain/roles.js';

/** Who is acting, and the scope that bounds every query made for them. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: Locale;
  /** Root of the region scope: the staff member's region, or the organisation's region. */
  scopeRegion: string;
  organisationId: string | null;
  /** The kind of that organisation (police, counselling …): an agency user's actions depend on it (domain/access.ts actorCan). */
  organisationKind?: string | null;
  mustChangePassword: boolean;
  /** The own work phone (shown on the account page). */
  phone?: string | null;
}

/** The context of one request: who, from where. Passed to every service call. */
export interface RequestContext {
  actor: Actor;
  ip: string | null;
  requestId: string | null;
}
