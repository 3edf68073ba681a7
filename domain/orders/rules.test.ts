import { describe, expect, it } from 'vitest';
import { ORDER_ACTIONS, ORDER_ENTRY_KINDS, ORDER_KINDS, ORDER_STATES, attendanceRate, availableActions, canRecordEntry, canTransition, nextOrderState, type OrderAction, type OrderEntryKind, type OrderKind, type OrderState } from './rules.js';

/** Every legal move; every other kind × state × action must be refused. */
const LEGAL: [OrderKind, OrderState, OrderAction, OrderState][] = [
  ['supervision', 'issued', 'fulfil', 'fulfilled'],
  ['supervision', 'issued', 'escalate', 'escalated'],
  ['supervision', 'issued', 'close', 'closed'],
  ['supervision', 'fulfilled', 'close', 'closed'],
  ['supervision', 'escalated', 'close', 'closed'],
  ['education_guidance', 'active', 'complete', 'completed'],
  ['education_guidance', 'active', 'discontinue', 'discontinued'],
  ['temporary_guardianship', 'active', 'end', 'ended'],
  ['revocation', 'filed', 'decide', 'decided'],
  ['revocation', 'filed', 'withdraw', 'withdrawn'],
];
const ALL = ORDER_KINDS.flatMap((kind) => ORDER_STATES.flatMap((state) => ORDER_ACTIONS.map((action) => [kind, state, action] as const)));
const isLegal = (k: OrderKind, s: OrderState, a: OrderAction) => LEGAL.some(([lk, ls, la]) => lk === k && ls === s && la === a);

describe('order state machines', () => {
  it.each(LEGAL)('%s: %s --%s--> %s', (kind, state, action, to) => {
    expect(canTransition(kind, state, action)).toBe(true);
    expect(nextOrderState(kind, state, action)).toBe(to);
  });

  const illegal = ALL.filter(([k, s, a]) => !isLegal(k, s, a));
  it('refuses every other combination', () => expect(illegal).toHaveLength(ALL.length - LEGAL.length));
  it.each(illegal)('refuses %s: %s --%s--', (kind, state, action) => {
    expect(canTransition(kind, state, action)).toBe(false);
    expect(nextOrderState(kind, state, action)).toBeNull();
  });

  it.each([
    ['supervision', 'closed', 'fulfil'],
    ['supervision', 'fulfilled', 'escalate'],
    ['temporary_guardianship', 'ended', 'end'],
    ['revocation', 'withdrawn', 'decide'],
    ['revocation', 'filed', 'end'],
    ['education_guidance', 'completed', 'discontinue'],
  ] as const)('notably: %s %s cannot %s', (kind, state, action) => expect(canTransition(kind, state, action)).toBe(false));

  it('offers the actions of the state', () => {
    expect(availableActions('supervision', 'issued')).toEqual(['fulfil', 'escalate', 'close']);
    expect(availableActions('supervision', 'closed')).toEqual([]);
    expect(availableActions('revocation', 'filed')).toEqual(['decide', 'withdraw']);
  });
});

describe('entries', () => {
  const LEGAL_ENTRIES: [OrderKind, OrderState, OrderEntryKind][] = [
    ['supervision', 'issued', 'check'],
    ['supervision', 'escalated', 'check'],
    ['education_guidance', 'active', 'session'],
  ];
  const all = ORDER_KINDS.flatMap((k) => ORDER_STATES.flatMap((s) => ORDER_ENTRY_KINDS.map((e) => [k, s, e] as const)));
  it.each(all)('%s in %s, %s', (kind, state, entry) => {
    const legal = LEGAL_ENTRIES.some(([k, s, e]) => k === kind && s === state && e === entry);
    expect(canRecordEntry(kind, state, entry)).toBe(legal);
  });
});

describe('attendanceRate', () => {
  it.each([
    [0, [], null],
    [4, [], 0],
    [4, [true, true, false], 50],
    [3, [true, true, true], 100],
    [2, [true, true, false], 67], // more sessions than planned: the sessions count
  ] as const)('%i planned, %j → %s', (planned, attended, rate) => {
    expect(attendanceRate(planned, attended.map((a) => ({ attended: a })))).toBe(rate);
  });
});
