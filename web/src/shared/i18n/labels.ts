import type { RegionLevel } from '../../../../domain/regions.js';
import type { OrganisationKind, Role } from '../../../../domain/roles.js';
import type { Translate } from './index.js';

export function roleLabel(t: Translate, role: Role): string {
  return t(`role.${role}`);
}

export function levelLabel(t: Translate, level: RegionLevel): string {
  return t(`level.${level}`);
}

export function organisationKindLabel(t: Translate, kind: OrganisationKind): string {
  return t(`orgKind.${kind}`);
}

