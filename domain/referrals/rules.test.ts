import { describe, expect, it } from 'vitest';
import { REFERRAL_ACTIONS, REFERRAL_STATES, canTransition, isAcceptanceOverdue, mayReceiveFor, nextReferralState, type ReferralAction, type ReferralSide, type ReferralState } from './rules.js';

/** Every legal move; everything else (state × action × side) must be refused. */
const LEGAL: [ReferralState, ReferralAction, ReferralSide, ReferralState][] = [
  ['sent', 'accept', 'receiver', 'accepted'],
  ['sent', 'decline', 'receiver', 'declined'],
  ['accepted', 'start', 'receiver', 'in_service'],
  ['in_service', 'complete', 'receiver', 'completed'],
  ['sent', 'withdraw', 'sender', 'withdrawn'],
  ['accepted', 'withdraw', 'sender', 'withdrawn'],
  ['in_service', 'withdraw', 'sender', 'withdrawn'],
];

const SIDES: ReferralSide[] = ['sender', 'receiver'];
const ALL = REFERRAL_STATES.flatMap((state) => REFERRAL_ACTIONS.flatMap((action) => SIDES.map((side) => [state, action, side] as const)));
const isLegal = (s: ReferralState, a: ReferralAction, side: ReferralSide) => LEGAL.some(([ls, la, lside]) => ls === s && la === a && lside === side);

describe('referral state machine', () => {
  it.each(LEGAL)('%s --%s (%s)--> %s', (state, action, side, to) => {
    expect(canTransition(state, action, side)).toBe(true);
    expect(nextReferralState(state, action, side)).toBe(to);
  });

  const illegal = ALL.filter(([s, a, side]) => !isLegal(s, a, side));
  it('has 53 illegal combinations of 60', () => expect(illegal).toHaveLength(ALL.length - LEGAL.length));
  it.each(illegal)('refuses %s --%s-- by the %s', (state, action, side) => {
    expect(canTransition(state, action, side)).toBe(false);
    expect(nextReferralState(state, action, side)).toBeNull();
  });
});

describe('isAcceptanceOverdue', () => {
  const acceptBy = '2026-11-30T02:00:00.000Z';
  const at = (ms: number) => new Date(Date.parse(acceptBy) + ms);
  it.each([
    ['sent', -1, false],
    ['sent', 0, false],
    ['sent', 1, true],
    ['sent', 86_400_000, true],
    ['accepted', 1, false],
    ['declined', 1, false],
    ['in_service', 1, false],
    ['completed', 1, false],
    ['withdrawn', 1, false],
  ] as const)('%s, %i ms after the deadline → %s', (state, ms, overdue) => {
    expect(isAcceptanceOverdue({ state, acceptBy }, at(ms))).toBe(overdue);
  });
});

describe('mayReceiveFor', () => {
  const child = '431202001201';
  it.each([
    ['431200000000', true], // city-wide court covers the child
    ['431202001000', true], // the child's own township station
    ['431202002000', true], // another township of the same county
    ['431202000000', true], // the county bureau
    ['431221001000', false], // a township of another county
    ['431221000000', false], // another county's bureau
    ['430100000000', false], // another city
  ])('organisation in %s → %s', (org, ok) => {
    expect(mayReceiveFor(org, child)).toBe(ok);
  });
});
