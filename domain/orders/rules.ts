/**
 * Orders and state guardianship (法律与国家监护, DESIGN §5, issue 5 §5): four
 * kinds of legal measure about a child, each with its own states. The state
 * machine is a table per kind: each action names the states it may start from
 * and the state it leads to; recording a follow-up check or a guidance session
 * keeps the state.
 */

export const ORDER_KINDS = [
  'supervision', // 督促监护令：检察院向失职的父母或其他监护人发出
  'education_guidance', // 家庭教育指导：法院或妇联责令接受家庭教育指导
  'temporary_guardianship', // 临时监护：民政部门（《未成年人保护法》第九十二、九十三条）
  'revocation', // 撤销监护资格：向法院申请
] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const ORDER_STATES = ['issued', 'fulfilled', 'escalated', 'closed', 'active', 'completed', 'discontinued', 'ended', 'filed', 'decided', 'withdrawn'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** The state a new order of each kind starts in. */
export const INITIAL_STATE = {
  supervision: 'issued',
  education_guidance: 'active',
  temporary_guardianship: 'active',
  revocation: 'filed',
} as const satisfies Record<OrderKind, OrderState>;

/** States each kind can be in, in order (the list filters offer these). */
export const KIND_STATES = {
  supervision: ['issued', 'fulfilled', 'escalated', 'closed'],
  education_guidance: ['active', 'completed', 'discontinued'],
  temporary_guardianship: ['active', 'ended'],
  revocation: ['filed', 'decided', 'withdrawn'],
} as const satisfies Record<OrderKind, readonly OrderState[]>;

/** Still asking something of the staff: listed as active orders. */
export const ACTIVE_STATES = ['issued', 'escalated', 'active', 'filed'] as const satisfies readonly OrderState[];
export function isActiveOrder(state: OrderState): boolean {
  return (ACTIVE_STATES as readonly OrderState[]).includes(state);
}

/** Entries recorded on an order without changing its state. */
export const ORDER_ENTRY_KINDS = ['check', 'session'] as const;
export type OrderEntryKind = (typeof ORDER_ENTRY_KINDS)[number];

/** Actions that move an order to another state. */
export const ORDER_ACTIONS = ['fulfil', 'escalate', 'close', 'complete', 'discontinue', 'end', 'decide', 'withdraw'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

type Move = { from: readonly OrderState[]; to: OrderState };

/** Per kind: which entries may be recorded in which states, and which actions lead where. */
export const ORDER_MACHINES = {
  supervision: {
    entries: { check: ['issued', 'escalated'] },
    actions: {
      fulfil: { from: ['issued'], to: 'fulfilled' }, // 经回访确认已履行监护职责
      escalate: { from: ['issued'], to: 'escalated' }, // 拒不履行：移送、建议撤销监护资格等
      close: { from: ['issued', 'fulfilled', 'escalated'], to: 'closed' },
    },
  },
  education_guidance: {
    entries: { session: ['active'] },
    actions: {
      complete: { from: ['active'], to: 'completed' },
      discontinue: { from: ['active'], to: 'discontinued' },
    },
  },
  temporary_guardianship: {
    entries: {},
    actions: { end: { from: ['active'], to: 'ended' } },
  },
  revocation: {
    entries: {},
    actions: {
      decide: { from: ['filed'], to: 'decided' },
      withdraw: { from: ['filed'], to: 'withdrawn' },
    },
  },
} as const satisfies Record<OrderKind, { entries: Partial<Record<OrderEntryKind, readonly OrderState[]>>; actions: Partial<Record<OrderAction, Move>> }>;

/** Whether the action may be taken on an order of this kind in this state. */
export function canTransition(kind: OrderKind, state: OrderState, action: OrderAction): boolean {
  const move = (ORDER_MACHINES[kind].actions as Partial<Record<OrderAction, Move>>)[action];
  return move !== undefined && move.from.includes(state);
}

/** The state after the action, or null when it is not allowed. */
export function nextOrderState(kind: OrderKind, state: OrderState, action: OrderAction): OrderState | null {
  return canTransition(kind, state, action) ? (ORDER_MACHINES[kind].actions as Partial<Record<OrderAction, Move>>)[action]!.to : null;
}

/** Whether a check or session may be recorded on an order of this kind in this state. */
export function canRecordEntry(kind: OrderKind, state: OrderState, entry: OrderEntryKind): boolean {
  const states = (ORDER_MACHINES[kind].entries as Partial<Record<OrderEntryKind, readonly OrderState[]>>)[entry];
  return states !== undefined && states.includes(state);
}

/** The actions open to an order now (the page shows these buttons). */
export function availableActions(kind: OrderKind, state: OrderState): OrderAction[] {
  return ORDER_ACTIONS.filter((a) => canTransition(kind, state, a));
}

/** Whom a supervision order or a guidance order is addressed to. */
export const ADDRESSEES = ['father', 'mother', 'guardian', 'other'] as const;
export type Addressee = (typeof ADDRESSEES)[number];

/** Who orders family-education guidance. */
export const GUIDANCE_ISSUERS = ['court', 'womens_federation'] as const;

/** Where a child under temporary guardianship lives (民政部门临时监护的安置方式, 第九十三条). */
export const PLACEMENTS = [
  'relative', // 委托亲属抚养
  'foster_family', // 家庭寄养
  'protection_centre', // 未成年人救助保护机构
  'welfare_institution', // 儿童福利机构
] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** The grounds of the Minors Protection Law art. 92, in the law's order. */
export const ART92_GROUNDS = [
  'wandering_unknown', // （一）流浪乞讨或者身份不明，暂时查找不到父母或者其他监护人
  'guardian_missing', // （二）监护人下落不明且无其他人可以担任监护人
  'guardian_unable', // （三）监护人因自身客观原因或者因发生自然灾害、事故灾难、公共卫生事件等突发事件不能履行监护职责，导致未成年人监护缺失
  'guardian_neglect', // （四）监护人拒绝或者怠于履行监护职责，导致未成年人处于无人照料的状态
  'guardian_instigates_crime', // （五）监护人教唆、利用未成年人实施违法犯罪行为，未成年人需要被带离安置
  'guardian_harm', // （六）未成年人遭受监护人严重伤害或者面临人身安全威胁，需要被紧急安置
  'other_by_law', // （七）法律规定的其他情形
] as const;
export type Art92Ground = (typeof ART92_GROUNDS)[number];

/** How a temporary guardianship ended. */
export const GUARDIANSHIP_OUTCOMES = ['returned', 'long_term_state', 'other'] as const;
/** How a court decided a petition (a withdrawn petition is the withdraw action). */
export const REVOCATION_OUTCOMES = ['revoked', 'rejected'] as const;

/** Attended sessions of the planned ones, as a whole percentage; null before any is planned. */
export function attendanceRate(planned: number, sessions: readonly { attended: boolean }[]): number | null {
  const base = Math.max(planned, sessions.length);
  if (base === 0) return null;
  return Math.round((sessions.filter((s) => s.attended).length / base) * 100);
}
