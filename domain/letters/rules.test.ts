import { describe, expect, it } from 'vitest';
import { carerKey, letterState, lettersDue, lettersNeeded, signingDateProblem, type CarerFacts } from './rules.js';

const grandma: CarerFacts = { kind: 'grandparent', name: '王奶奶', relation: '祖母' };

describe('guardianship letter rules', () => {
  it.each([
    ['parent', ['guardian']],
    ['institution', ['guardian']],
    ['grandparent', ['guardian', 'entrusted']],
    ['relative', ['guardian', 'entrusted']],
    ['entrusted', ['guardian', 'entrusted']],
    ['alone', ['guardian', 'entrusted']],
  ])('a child whose carer is %s needs %j', (kind, needed) => {
    expect(lettersNeeded({ kind })).toEqual(needed);
  });

  it('knows a carer by kind, name and relation, ignoring blanks', () => {
    expect(carerKey({ kind: 'grandparent', name: ' 王 奶奶', relation: '祖母 ' })).toBe(carerKey(grandma));
    expect(carerKey({ ...grandma, name: '李奶奶' })).not.toBe(carerKey(grandma));
    expect(carerKey({ ...grandma, relation: '外祖母' })).not.toBe(carerKey(grandma));
    expect(carerKey({ ...grandma, kind: 'relative' })).not.toBe(carerKey(grandma));
    expect(carerKey({ kind: 'alone', name: null, relation: null })).toBe('alone||');
  });

  it('a letter is missing, signed for the current carer, or to renew after a change of carer', () => {
    const key = carerKey(grandma);
    expect(letterState('guardian', grandma, [])).toBe('missing');
    expect(letterState('guardian', grandma, [{ kind: 'entrusted', carerKey: key }])).toBe('missing');
    expect(letterState('guardian', grandma, [{ kind: 'guardian', carerKey: key }])).toBe('signed');
    expect(letterState('guardian', grandma, [{ kind: 'guardian', carerKey: 'relative|王姑姑|姑姑' }])).toBe('renewal');
    // An older letter for another carer does not spoil a current one.
    expect(letterState('guardian', grandma, [{ kind: 'guardian', carerKey: 'x' }, { kind: 'guardian', carerKey: key }])).toBe('signed');
  });

  it('counts the letters still due', () => {
    const key = carerKey(grandma);
    expect(lettersDue(grandma, [])).toBe(2);
    expect(lettersDue(grandma, [{ kind: 'guardian', carerKey: key }])).toBe(1);
    expect(lettersDue(grandma, [{ kind: 'guardian', carerKey: key }, { kind: 'entrusted', carerKey: key }])).toBe(0);
    expect(lettersDue({ kind: 'parent', name: '李小红', relation: '母亲' }, [{ kind: 'guardian', carerKey: key }])).toBe(1);
    expect(lettersDue({ kind: 'parent', name: '李小红', relation: '母亲' }, [{ kind: 'guardian', carerKey: 'parent|李小红|母亲' }])).toBe(0);
  });

  it.each([
    ['2026-11-29', null],
    ['2026-11-30', 'future_date'],
    ['2015-04-01', null],
    ['2015-03-31', 'before_birth'],
  ])('signed on %s (today 2026-11-29, born 2015-04-01): %s', (signedOn, problem) => {
    expect(signingDateProblem(signedOn, '2026-11-29', '2015-04-01')).toBe(problem);
  });
});
