/** Orders and state guardianship on the child's timeline: one item per order, at its date, with its current state. */
import type { Locale } from '../../../domain/locale.js';
import type { OrderKind } from '../../../domain/orders/rules.js';
import type { ChildTimeline } from '../../../domain/visits/schema.js';
import { localToday } from '../../core/clock.js';
import type { ProtectionOrderRow } from '../../db/schema.js';

type Item = ChildTimeline['items'][number];

const ORDER_TITLES: Record<Locale, Record<OrderKind, string>> = {
  'zh-CN': { supervision: '督促监护令', education_guidance: '家庭教育指导', temporary_guardianship: '临时监护', revocation: '撤销监护资格申请' },
  'en-US': { supervision: 'Guardianship supervision order', education_guidance: 'Family-education guidance', temporary_guardianship: 'Temporary guardianship', revocation: 'Petition to revoke guardianship' },
};

/**
 * An order, at the day it was issued, started or filed (noon in China, so it
 * sorts within that day) — or when it was recorded, if that is the same day
 * (both days as in China).
 */
export function orderItem(row: ProtectionOrderRow & { organisation_name: string | null }, locale: Locale): Item {
  const recordedOn = localToday({ now: () => new Date(row.created_at) });
  const at = row.order_date < recordedOn ? `${row.order_date}T04:00:00.000Z` : row.created_at;
  const details = JSON.parse(row.details) as { ground?: string; placement?: string; outcome?: string };
  return {
    at,
    kind: 'order',
    title: ORDER_TITLES[locale][row.kind as OrderKind],
    actor: row.created_by_name,
    visitId: null,
    details: {
      orderId: row.id,
      orderKind: row.kind,
      state: row.state,
      date: row.order_date,
      issuer: row.organisation_name ?? row.issuer_name,
      ground: details.ground ?? null,
      placement: details.placement ?? null,
      outcome: details.outcome ?? null,
    },
  };
}
