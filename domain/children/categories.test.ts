import { describe, expect, it } from 'vitest';
import { deriveCategories, isSevereDisability, lacksGuardianshipCapacity, type DistressKind } from './categories.js';
import { DEFAULT_CATEGORY_SETTINGS, type ChildFacts, type Disability, type DisabilityType, type ParentFacts, type ParentStatus } from './facts.js';

const AS_OF = '2026-11-30';
const SIX_MONTHS_AGO = '2026-05-31'; // exactly six months before AS_OF (no 31 November)
const ONE_DAY_SHORT = '2026-06-01';
const LONG_AGO = '2024-01-15';

function parent(status: ParentStatus, extra: Partial<ParentFacts> = {}): ParentFacts {
  return { status, ...extra };
}
const away = (since: string | null = LONG_AGO, extra: Partial<ParentFacts> = {}) => parent('working_away', { since, ...extra });

/** A rural 10-year-old living with both parents, with nothing else recorded. */
function child(overrides: Partial<ChildFacts> = {}): ChildFacts {
  return {
    birthDate: '2016-04-10',
    sex: 'female',
    hukouType: 'rural',
    father: parent('at_home'),
    mother: parent('at_home'),
    health: { status: 'healthy', disability: null },
    support: { dibao: false, tekun: false, temporaryRelief: false, orphanAllowance: false },
    guardianship: { abuse: false, abandonment: false, improperCare: false },
    temporaryDistress: false,
    caregiver: { kind: 'parent', capacity: 'good' },
    schoolStatus: 'in_school',
    ...overrides,
  };
}

const codes = (reasons: { code: string }[]) => reasons.map((r) => r.code);

describe('left-behind (留守)', () => {
  it('both parents away long enough: reasons give each date and the shorter absence', () => {
    const result = deriveCategories(child({ father: away('2026-03-15'), mother: away('2025-01-01') }), AS_OF).leftBehind;
    expect(result.value).toBe(true);
    expect(result.reasons).toContainEqual({ code: 'both_parents_away', params: { months: 8 } });
    expect(result.reasons).toContainEqual({ code: 'parent_away_since', params: { parent: 'father', since: '2026-03-15', months: 8 } });
    expect(result.reasons).toContainEqual({ code: 'parent_away_since', params: { parent: 'mother', since: '2025-01-01', months: 22 } });
    expect(codes(result.reasons)).toEqual(['under_age', 'rural_hukou', 'parent_away_since', 'parent_away_since', 'both_parents_away']);
  });

  it.each([
    [SIX_MONTHS_AGO, AS_OF, true], // exactly six months, ending on a shorter month
    [SIX_MONTHS_AGO, '2026-11-29', false], // one day short
    [ONE_DAY_SHORT, AS_OF, false],
    ['2026-05-30', AS_OF, true],
    ['2026-05-30', '2026-11-29', false],
    ['2026-06-15', '2026-12-15', true],
    ['2026-06-15', '2026-12-14', false],
    ['2026-12-01', AS_OF, false], // leaves in the future
  ])('both away since %s, as of %s: %s', (since, asOf, expected) => {
    const result = deriveCategories(child({ father: away(since), mother: away(since) }), asOf).leftBehind;
    expect(result.value).toBe(expected);
    if (!expected) expect(result.reasons).toContainEqual(expect.objectContaining({ code: 'parent_away_too_short' }));
  });

  it('one parent away exactly six months and the other long ago counts six months', () => {
    const result = deriveCategories(child({ father: away(SIX_MONTHS_AGO), mother: away(LONG_AGO) }), AS_OF).leftBehind;
    expect(result.reasons).toContainEqual({ code: 'both_parents_away', params: { months: 6 } });
  });

  it('one parent away not long enough is not “both away” even if the other has been away for years', () => {
    const result = deriveCategories(child({ father: away(ONE_DAY_SHORT), mother: away(LONG_AGO) }), AS_OF).leftBehind;
    expect(result.value).toBe(false);
    expect(result.reasons).toContainEqual({ code: 'parent_away_too_short', params: { parent: 'father', months: 5, required: 6 } });
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
  ])('an unknown departure date (%s) does not meet the threshold', (since, _label) => {
    const result = deriveCategories(child({ father: away(LONG_AGO), mother: parent('working_away', { since }) }), AS_OF).leftBehind;
    expect(result.value).toBe(false);
    expect(result.reasons).toContainEqual({ code: 'parent_away_since_unknown', params: { parent: 'mother' } });
  });

  // Issue 12: a both-parents-away child with a grandparent must not vanish because the date is blank.
  // A month is enough (counted from its last day); "more than six months, date unknown" counts six months.
  const grandparent = { caregiver: { kind: 'grandparent' as const, capacity: 'fair' as const } };
  it.each<[string, ParentFacts, boolean, { code: string; params: Record<string, string | number> }]>([
    ['a month long ago', away('2025-03'), true, { code: 'parent_away_since', params: { parent: 'mother', since: '2025-03', months: 20 } }],
    ['the month six months back', away('2026-05'), true, { code: 'parent_away_since', params: { parent: 'mother', since: '2026-05', months: 6 } }], // 2026-05-31 → 2026-11-30
    ['the month after', away('2026-06'), false, { code: 'parent_away_too_short', params: { parent: 'mother', months: 5, required: 6 } }], // 2026-06-30: not yet six months
    ['this month', away('2026-11'), false, { code: 'parent_away_too_short', params: { parent: 'mother', months: 0, required: 6 } }],
    ['date unknown, more than six months', away(null, { sinceUnknown: true, sinceStatedBy: '郭军文' }), true, { code: 'parent_away_date_unknown', params: { parent: 'mother', by: '郭军文' } }],
    ['date unknown, stated by nobody named', away(null, { sinceUnknown: true }), true, { code: 'parent_away_date_unknown', params: { parent: 'mother' } }],
    ['neither date nor statement', away(null), false, { code: 'parent_away_since_unknown', params: { parent: 'mother' } }],
    ['a date wins over the statement', away('2026-10-01', { sinceUnknown: true }), false, { code: 'parent_away_too_short', params: { parent: 'mother', months: 1, required: 6 } }],
  ])('father away for years, mother away: %s → %s', (_label, mother, expected, reason) => {
    const result = deriveCategories(child({ ...grandparent, father: away(LONG_AGO), mother }), AS_OF).leftBehind;
    expect(result.value).toBe(expected);
    expect(result.reasons).toContainEqual(reason);
  });

  it('both away with the date unknown for one: held, saying which, without a count of months', () => {
    const result = deriveCategories(child({ ...grandparent, father: away(LONG_AGO), mother: away(null, { sinceUnknown: true, sinceStatedBy: '郭军文' }) }), AS_OF).leftBehind;
    expect(result.value).toBe(true);
    expect(result.reasons).toEqual([
      { code: 'under_age', params: { age: 10, maxAge: 16 } },
      { code: 'rural_hukou' },
      { code: 'parent_away_since', params: { parent: 'father', since: LONG_AGO, months: 34 } },
      { code: 'parent_away_date_unknown', params: { parent: 'mother', by: '郭军文' } },
      { code: 'both_parents_away' },
    ]);
  });

  it('"more than six months" does not prove a longer threshold', () => {
    const settings = { ...DEFAULT_CATEGORY_SETTINGS, leftBehindMinAbsenceMonths: 12 };
    const stated = away(null, { sinceUnknown: true, sinceStatedBy: '郭军文' });
    const result = deriveCategories(child({ father: away(LONG_AGO), mother: stated }), AS_OF, settings).leftBehind;
    expect(result.value).toBe(false);
    expect(result.reasons).toContainEqual({ code: 'parent_away_date_unknown_too_short', params: { parent: 'mother', required: 12, by: '郭军文' } });
    expect(deriveCategories(child({ father: away(LONG_AGO), mother: stated }), AS_OF, { ...settings, leftBehindMinAbsenceMonths: 3 }).leftBehind.value).toBe(true);
  });

  it('one away with the date unknown, the other without capacity: held without a count of months', () => {
    const result = deriveCategories(child({ father: away(null, { sinceUnknown: true }), mother: parent('seriously_ill') }), AS_OF).leftBehind;
    expect(result.value).toBe(true);
    expect(result.reasons).toContainEqual({ code: 'one_parent_away_other_without_capacity', params: { parent: 'father', otherParent: 'mother', otherStatus: 'seriously_ill' } });
    expect(result.reasons).toContainEqual({ code: 'parent_away_date_unknown', params: { parent: 'father' } });
  });

  it.each([
    [true, true],
    [null, true], // default: across the county line
    [undefined, true],
    [false, false], // working inside the county is not away
  ])('workAwayCrossesCounty %s → %s', (crosses, expected) => {
    const facts = child({ father: away(LONG_AGO), mother: away(LONG_AGO, { workAwayCrossesCounty: crosses }) });
    expect(deriveCategories(facts, AS_OF).leftBehind.value).toBe(expected);
  });

  it.each<[ParentStatus, Disability | null, boolean]>([
    ['deceased', null, true],
    ['missing', null, true],
    ['imprisoned', null, true],
    ['compulsory_rehab', null, true],
    ['lost_contact', null, true],
    ['seriously_ill', null, true],
    ['disabled', null, true], // recorded as 重残 without details
    ['disabled', { type: 'physical', grade: 1 }, true],
    ['disabled', { type: 'visual', grade: 2 }, true],
    ['disabled', { type: 'intellectual', grade: 4 }, true],
    ['disabled', { type: 'mental', grade: 3 }, true],
    ['disabled', { type: 'physical', grade: 3 }, false],
    ['disabled', { type: 'hearing', grade: 4 }, false],
    ['at_home', null, false],
    ['unknown', null, false],
  ])('father away, mother %s %j → %s', (status, disability, expected) => {
    const facts = child({ father: away(LONG_AGO), mother: parent(status, { disability }) });
    const result = deriveCategories(facts, AS_OF).leftBehind;
    expect(result.value).toBe(expected);
    expect(result.reasons).toContainEqual(
      expected
        ? { code: 'one_parent_away_other_without_capacity', params: { parent: 'father', months: 34, otherParent: 'mother', otherStatus: status } }
        : { code: 'other_parent_has_capacity', params: { parent: 'mother', status } },
    );
  });

  it('the other way round: mother away, father imprisoned', () => {
    const result = deriveCategories(child({ mother: away(SIX_MONTHS_AGO), father: parent('imprisoned') }), AS_OF).leftBehind;
    expect(result.reasons).toContainEqual({
      code: 'one_parent_away_other_without_capacity',
      params: { parent: 'mother', months: 6, otherParent: 'father', otherStatus: 'imprisoned' },
    });
  });

  it('the parent who is away must still meet the threshold when the other lacks capacity', () => {
    expect(deriveCategories(child({ father: away(ONE_DAY_SHORT), mother: parent('deceased') }), AS_OF).leftBehind.value).toBe(false);
    expect(deriveCategories(child({ father: away(null), mother: parent('deceased') }), AS_OF).leftBehind.value).toBe(false);
  });

  it.each<[ParentStatus, ParentStatus]>([
    ['at_home', 'at_home'],
    ['deceased', 'deceased'],
    ['imprisoned', 'seriously_ill'],
    ['unknown', 'unknown'],
  ])('no parent away (%s, %s) → not left-behind', (f, m) => {
    const result = deriveCategories(child({ father: parent(f), mother: parent(m) }), AS_OF).leftBehind;
    expect(result.value).toBe(false);
    expect(codes(result.reasons)).toContain('no_parent_away');
  });

  it.each([
    ['2010-12-01', true], // 16 tomorrow
    ['2010-11-30', false], // 16 today
    ['2010-11-29', false], // 16 yesterday
    ['2026-11-30', true], // born today
  ])('born %s, as of 2026-11-30 → %s (under 16)', (birthDate, expected) => {
    const facts = child({ birthDate, father: away(LONG_AGO), mother: away(LONG_AGO) });
    const result = deriveCategories(facts, AS_OF).leftBehind;
    expect(result.value).toBe(expected);
    if (!expected) expect(result.reasons).toContainEqual({ code: 'over_age', params: { age: 16, maxAge: 16 } });
  });

  it.each([
    ['2024-02-28', true],
    ['2024-02-29', false], // 16th birthday of a 29 Feb child in a leap year
  ])('born 2008-02-29, as of %s → %s', (asOf, expected) => {
    const facts = child({ birthDate: '2008-02-29', father: away('2020-01-01'), mother: away('2020-01-01') });
    expect(deriveCategories(facts, asOf).leftBehind.value).toBe(expected);
  });

  it.each([
    ['rural', true],
    ['urban', false],
    ['none', false], // 无户籍 is not rural hukou
  ] as const)('hukou %s → %s', (hukouType, expected) => {
    const result = deriveCategories(child({ hukouType, father: away(), mother: away() }), AS_OF).leftBehind;
    expect(result.value).toBe(expected);
    if (!expected) expect(result.reasons).toContainEqual({ code: 'not_rural_hukou', params: { hukouType } });
  });

  it('uses the settings for the threshold and the age', () => {
    const facts = child({ birthDate: '2012-01-01', father: away('2026-08-30'), mother: away('2026-08-30') });
    expect(deriveCategories(facts, AS_OF).leftBehind.value).toBe(false);
    expect(deriveCategories(facts, AS_OF, { ...DEFAULT_CATEGORY_SETTINGS, leftBehindMinAbsenceMonths: 3 }).leftBehind.value).toBe(true);
    expect(deriveCategories(facts, AS_OF, { ...DEFAULT_CATEGORY_SETTINGS, leftBehindMinAbsenceMonths: 3, leftBehindMaxAge: 14 }).leftBehind.value).toBe(false);
  });
});

describe('de-facto unsupported (事实无人抚养)', () => {
  const TYPES: DisabilityType[] = ['physical', 'visual', 'hearing', 'speech', 'intellectual', 'mental', 'multiple'];
  const GRADES = [1, 2, 3, 4] as const;
  const matrix = TYPES.flatMap((type) => GRADES.map((grade) => [type, grade, grade <= 2 || type === 'intellectual' || type === 'mental'] as const));

  it.each(matrix)('重残: %s grade %i → %s', (type, grade, severe) => {
    expect(isSevereDisability({ type, grade })).toBe(severe);
    // the same matrix drives the category: father deceased, mother disabled
    const facts = child({ father: parent('deceased'), mother: parent('disabled', { disability: { type, grade } }) });
    expect(deriveCategories(facts, AS_OF).unsupported.value).toBe(severe);
    // … and the left-behind “without capacity” test
    expect(lacksGuardianshipCapacity(parent('disabled', { disability: { type, grade } }))).toBe(severe);
  });

  const S_CASES: [string, ParentFacts][] = [
    ['severe disability', parent('disabled', { disability: { type: 'physical', grade: 2 } })],
    ['seriously ill', parent('seriously_ill')],
    ['imprisoned', parent('imprisoned', { since: '2025-01-01', until: '2030-01-01' })],
    ['in compulsory rehab', parent('compulsory_rehab', { since: '2026-01-10', until: '2028-01-10' })],
    ['lost contact', parent('lost_contact', { since: SIX_MONTHS_AGO })],
  ];

  it.each(S_CASES.flatMap(([f, father]) => S_CASES.map(([m, mother]) => [f, m, father, mother] as const)))(
    'father %s and mother %s → unsupported',
    (_f, _m, father, mother) => {
      const result = deriveCategories(child({ father, mother }), AS_OF);
      expect(result.unsupported.value).toBe(true);
      expect(codes(result.unsupported.reasons)[0]).toBe('both_parents_unable');
      expect(result.distress.kinds).toContain('unsupported');
      expect(result.distress.kinds).not.toContain('orphan');
    },
  );

  it.each(
    S_CASES.flatMap(([name, unable]) =>
      (['deceased', 'missing'] as const).flatMap((dead) => [
        [dead, name, 'father', unable] as const,
        [dead, name, 'mother', unable] as const,
      ]),
    ),
  )('one parent %s and the other %s (the %s is the one gone) → unsupported', (dead, _name, deadRole, unable) => {
    const facts = deadRole === 'father' ? child({ father: parent(dead), mother: unable }) : child({ father: unable, mother: parent(dead) });
    const result = deriveCategories(facts, AS_OF).unsupported;
    expect(result.value).toBe(true);
    expect(result.reasons[0]).toMatchObject({ code: 'one_parent_dead_or_missing_other_unable', params: { parent: deadRole, status: dead } });
  });

  it.each<[ParentStatus, ParentStatus]>([
    ['deceased', 'deceased'],
    ['deceased', 'missing'],
    ['missing', 'deceased'],
    ['missing', 'missing'],
  ])('father %s and mother %s is an orphan, not unsupported', (f, m) => {
    const result = deriveCategories(child({ father: parent(f), mother: parent(m) }), AS_OF);
    expect(result.unsupported).toEqual({ value: false, reasons: [{ code: 'orphan_not_unsupported' }] });
    expect(result.distress.value).toBe(true);
    expect(result.distress.kinds).toEqual(['orphan']);
  });

  it.each<[string, ParentFacts, ParentFacts]>([
    ['one deceased, the other at home', parent('deceased'), parent('at_home')],
    ['one deceased, the other working away', parent('deceased'), away()],
    ['one deceased, the other unknown', parent('deceased'), parent('unknown')],
    ['one seriously ill, the other at home', parent('seriously_ill'), parent('at_home')],
    ['one imprisoned, the other working away', parent('imprisoned', { since: LONG_AGO }), away()],
    ['one lost contact, the other disabled grade 3 physical', parent('lost_contact', { since: LONG_AGO }), parent('disabled', { disability: { type: 'physical', grade: 3 } })],
    ['both lost contact, one only five months', parent('lost_contact', { since: LONG_AGO }), parent('lost_contact', { since: ONE_DAY_SHORT })],
  ])('%s → not unsupported', (_label, father, mother) => {
    expect(deriveCategories(child({ father, mother }), AS_OF).unsupported.value).toBe(false);
  });

  describe.each(['imprisoned', 'compulsory_rehab'] as const)('%s: a term of six months or more', (status) => {
    it.each<[string | null, string | null, string, boolean, string]>([
      // planned term since → until
      [SIX_MONTHS_AGO, AS_OF, AS_OF, true, 'term'],
      ['2026-05-31', '2026-11-29', AS_OF, false, 'term'],
      ['2026-01-01', '2026-07-01', '2026-02-01', true, 'term'], // known term counts before it has been served
      ['2026-01-01', '2026-06-30', '2026-12-01', false, 'term'], // a short term stays short even after time passes
      // no until: the time already served
      [SIX_MONTHS_AGO, null, AS_OF, true, 'served'],
      [SIX_MONTHS_AGO, null, '2026-11-29', false, 'served'],
      // no since: the time still to serve
      [null, '2027-05-30', AS_OF, true, 'remaining'],
      [null, '2027-05-29', AS_OF, false, 'remaining'],
    ])('since %s until %s, as of %s → %s (%s)', (since, until, asOf, expected, basis) => {
      const facts = child({ father: parent('deceased'), mother: parent(status, { since, until }) });
      const result = deriveCategories(facts, asOf).unsupported;
      expect(result.value).toBe(expected);
      expect(result.reasons).toContainEqual(
        expect.objectContaining({ code: expected ? 'parent_restricted' : 'parent_restriction_too_short', params: expect.objectContaining({ basis }) as unknown }),
      );
    });

    it('with neither since nor until the term is unproven', () => {
      const result = deriveCategories(child({ father: parent('deceased'), mother: parent(status) }), AS_OF).unsupported;
      expect(result).toEqual({ value: false, reasons: [{ code: 'parent_restriction_term_unknown', params: { parent: 'mother', status } }] });
    });
  });

  it.each<[string | null, string, boolean]>([
    [SIX_MONTHS_AGO, AS_OF, true],
    [SIX_MONTHS_AGO, '2026-11-29', false],
    ['2026-02-28', '2026-08-28', true],
    ['2026-02-28', '2026-08-27', false],
    [null, AS_OF, false],
  ])('lost contact since %s, as of %s → %s', (since, asOf, expected) => {
    const facts = child({ father: parent('missing'), mother: parent('lost_contact', { since }) });
    expect(deriveCategories(facts, asOf).unsupported.value).toBe(expected);
  });

  it('reports months for a qualifying lost contact', () => {
    const result = deriveCategories(child({ father: parent('deceased'), mother: parent('lost_contact', { since: '2026-03-15' }) }), AS_OF).unsupported;
    expect(result.reasons).toContainEqual({ code: 'parent_lost_contact', params: { parent: 'mother', months: 8 } });
  });

  it('uses unsupportedMinMonths from the settings', () => {
    const facts = child({ father: parent('deceased'), mother: parent('lost_contact', { since: '2026-08-30' }) });
    expect(deriveCategories(facts, AS_OF).unsupported.value).toBe(false);
    expect(deriveCategories(facts, AS_OF, { ...DEFAULT_CATEGORY_SETTINGS, unsupportedMinMonths: 3 }).unsupported.value).toBe(true);
  });

  it.each([
    ['2008-12-01', true], // 18 tomorrow
    ['2008-11-30', false], // 18 today
    ['2008-11-29', false],
  ])('born %s, as of 2026-11-30 → %s (under 18)', (birthDate, expected) => {
    const result = deriveCategories(child({ birthDate, father: parent('deceased'), mother: parent('seriously_ill') }), AS_OF);
    expect(result.unsupported.value).toBe(expected);
    expect(result.distress.value).toBe(expected);
  });

  it.each([
    ['2026-02-28', true],
    ['2026-03-01', false], // 29 Feb child turns 18 on 1 March in a common year
  ])('born 2008-02-29, as of %s → %s', (asOf, expected) => {
    const facts = child({ birthDate: '2008-02-29', father: parent('deceased'), mother: parent('seriously_ill') });
    expect(deriveCategories(facts, asOf).unsupported.value).toBe(expected);
  });
});

describe('in distress (困境)', () => {
  it.each<[string, Partial<ChildFacts>, DistressKind[]]>([
    ['nothing', {}, []],
    ['own disability, any grade', { health: { status: 'disabled', disability: { type: 'physical', grade: 4 } } }, ['own_disability']],
    ['own disability without details', { health: { status: 'disabled' } }, ['own_disability']],
    ['own serious illness', { health: { status: 'seriously_ill' } }, ['own_serious_illness']],
    ['低保', { support: { dibao: true, tekun: false, temporaryRelief: false, orphanAllowance: false } }, ['family_poverty']],
    ['特困', { support: { dibao: false, tekun: true, temporaryRelief: false, orphanAllowance: false } }, ['family_poverty']],
    ['temporary relief only', { support: { dibao: false, tekun: false, temporaryRelief: true, orphanAllowance: false } }, []],
    ['abuse', { guardianship: { abuse: true, abandonment: false, improperCare: false } }, ['guardianship']],
    ['abandonment', { guardianship: { abuse: false, abandonment: true, improperCare: false } }, ['guardianship']],
    ['improper care', { guardianship: { abuse: false, abandonment: false, improperCare: true } }, ['guardianship']],
    ['temporary distress', { temporaryDistress: true }, ['temporary']],
    ['living alone is a risk factor, not a category', { caregiver: { kind: 'alone', capacity: 'poor' } }, []],
    ['dropped out is a priority group, not a category', { schoolStatus: 'dropped_out', hukouType: 'none' }, []],
    ['one parent deceased only', { father: parent('deceased') }, []],
    ['orphan', { father: parent('deceased'), mother: parent('missing') }, ['orphan']],
    ['unsupported', { father: parent('seriously_ill'), mother: parent('seriously_ill') }, ['unsupported']],
    [
      'everything at once, listed in order',
      {
        father: parent('deceased'),
        mother: parent('deceased'),
        health: { status: 'disabled', disability: { type: 'hearing', grade: 3 } },
        support: { dibao: true, tekun: true, temporaryRelief: true, orphanAllowance: true },
        guardianship: { abuse: true, abandonment: true, improperCare: true },
        temporaryDistress: true,
      },
      ['orphan', 'own_disability', 'family_poverty', 'guardianship', 'temporary'],
    ],
  ])('%s → %j', (_label, overrides, kinds) => {
    const result = deriveCategories(child(overrides), AS_OF).distress;
    expect(result.kinds).toEqual(kinds);
    expect(result.value).toBe(kinds.length > 0);
  });

  it('gives one reason per ground found', () => {
    const facts = child({
      support: { dibao: true, tekun: true, temporaryRelief: false, orphanAllowance: false },
      guardianship: { abuse: true, abandonment: false, improperCare: true },
    });
    expect(deriveCategories(facts, AS_OF).distress.reasons).toEqual([
      { code: 'family_poverty', params: { support: 'dibao' } },
      { code: 'family_poverty', params: { support: 'tekun' } },
      { code: 'guardianship', params: { issue: 'abuse' } },
      { code: 'guardianship', params: { issue: 'improper_care' } },
    ]);
  });

  it('ends at 18 whatever the grounds', () => {
    const facts = child({ birthDate: '2008-11-30', temporaryDistress: true, support: { dibao: true, tekun: false, temporaryRelief: false, orphanAllowance: false } });
    expect(deriveCategories(facts, '2026-11-29').distress.kinds).toEqual(['family_poverty', 'temporary']);
    expect(deriveCategories(facts, '2026-11-30').distress).toEqual({ value: false, kinds: [], reasons: [{ code: 'over_age', params: { age: 18, maxAge: 18 } }] });
  });

  it('a left-behind child can be in distress too', () => {
    const result = deriveCategories(child({ father: away(), mother: away(), support: { dibao: true, tekun: false, temporaryRelief: false, orphanAllowance: false } }), AS_OF);
    expect(result.leftBehind.value).toBe(true);
    expect(result.distress.kinds).toEqual(['family_poverty']);
    expect(result.unsupported.value).toBe(false);
  });
});

describe('a child not yet born on the as-of date', () => {
  it('is in no category', () => {
    const result = deriveCategories(child({ birthDate: '2026-12-01', father: parent('deceased'), mother: parent('deceased'), temporaryDistress: true }), AS_OF);
    expect([result.leftBehind.value, result.unsupported.value, result.distress.value]).toEqual([false, false, false]);
  });
});

describe('a status known to the month only', () => {
  it('counts lost contact and imprisonment from the month’s last day', () => {
    // Lost contact since May 2026: from 2026-05-31, six months on 2026-11-30.
    const lost = (since: string, asOf: string) => deriveCategories(child({ father: parent('deceased'), mother: parent('lost_contact', { since }) }), asOf).unsupported.value;
    expect(lost('2026-05', AS_OF)).toBe(true);
    expect(lost('2026-05', '2026-11-29')).toBe(false);
    expect(lost('2026-06', AS_OF)).toBe(false);
    const served = deriveCategories(child({ father: parent('deceased'), mother: parent('imprisoned', { since: '2026-05' }) }), AS_OF).unsupported;
    expect(served.value).toBe(true);
    expect(served.reasons).toContainEqual({ code: 'parent_restricted', params: { parent: 'mother', status: 'imprisoned', months: 6, basis: 'served' } });
  });
});
