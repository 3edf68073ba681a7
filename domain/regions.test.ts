import { describe, expect, it } from 'vitest';
import {
  ancestorCodes,
  isRegionCode,
  isWithinRegion,
  parentRegionCode,
  prefixUpperBound,
  regionLevel,
  regionPrefix,
  subtreeRange,
  type RegionLevel,
} from './regions.js';

describe('region codes (统计用区划代码)', () => {
  it.each([
    ['431202001201', true],
    ['431200000000', true],
    ['43120200120', false], // 11 digits
    ['4312020012011', false], // 13 digits
    ['43120200120X', false],
    [' 431202001201', false],
    ['', false],
  ])('isRegionCode(%j) is %s', (code, expected) => {
    expect(isRegionCode(code)).toBe(expected);
  });

  it.each<[string, RegionLevel, string]>([
    ['430000000000', 'province', '43'],
    ['431200000000', 'city', '4312'],
    ['431202000000', 'county', '431202'],
    ['431271000000', 'county', '431271'],
    ['431202001000', 'township', '431202001'],
    ['431202201000', 'township', '431202201'],
    ['431202001201', 'village', '431202001201'],
    // A village numbered 001 and a township numbered 001: the lowest non-zero part decides.
    ['431202001001', 'village', '431202001001'],
    // A township directly under a city without counties (e.g. 东莞 streets).
    ['441900003000', 'township', '441900003'],
    // Boundaries of each part: 1 in the last digit of a part, 9s everywhere.
    ['430100000000', 'city', '4301'],
    ['430001000000', 'county', '430001'],
    ['430000001000', 'township', '430000001'],
    ['430000000001', 'village', '430000000001'],
    ['999999999999', 'village', '999999999999'],
  ])('%s is a %s with prefix %s', (code, level, prefix) => {
    expect(regionLevel(code)).toBe(level);
    expect(regionPrefix(code)).toBe(prefix);
  });

  it.each([
    ['431202', '431203'],
    ['431299', '431300'], // carry over one 9
    ['431999999', '432000000'], // carry over several 9s
    ['43', '44'],
    ['4399', '4400'],
    ['431202001209', '431202001210'],
  ])('the upper bound of prefix %s is %s', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });

  it('the upper bound of an all-9 prefix lies after every code that starts with it', () => {
    const bound = prefixUpperBound('99');
    expect('999999999999' < bound.padEnd(12, '0')).toBe(true);
    expect('990000000000' < bound.padEnd(12, '0')).toBe(true);
  });

  it.each([
    ['431200000000', '431200000000', '431300000000'],
    ['431202000000', '431202000000', '431203000000'],
    ['431299000000', '431299000000', '431300000000'],
    ['431202001000', '431202001000', '431202002000'],
    ['431202099000', '431202099000', '431202100000'],
    ['431202999000', '431202999000', '431203000000'],
    ['431202001201', '431202001201', '431202001202'],
    ['431202001999', '431202001999', '431202002000'],
    ['430000000000', '430000000000', '440000000000'],
  ])('the subtree of %s is the half-open range [%s, %s)', (code, from, to) => {
    expect(subtreeRange(code)).toEqual({ from, to });
  });

  it('a subtree range contains exactly the codes that start with the prefix', () => {
    const inRange = (code: string, scope: string) => {
      const { from, to } = subtreeRange(scope);
      return code >= from && code < to;
    };
    const county = '431299000000';
    expect(inRange('431299000000', county)).toBe(true); // itself
    expect(inRange('431299999999', county)).toBe(true); // last possible descendant
    expect(inRange('431300000000', county)).toBe(false); // next county: `to` is excluded
    expect(inRange('431298999999', county)).toBe(false); // just before
    const township = '431202001000';
    expect(inRange('431202001999', township)).toBe(true);
    expect(inRange('431202002000', township)).toBe(false);
    expect(inRange('431202000999', township)).toBe(false);
    // Every code in a range agrees with isWithinRegion.
    for (const code of ['431202001201', '431202002201', '431203000000', '431299000001', '431300000000']) {
      for (const scope of [county, township, '431200000000']) {
        expect(inRange(code, scope), `${code} in ${scope}`).toBe(isWithinRegion(code, scope));
      }
    }
  });

  it.each([
    ['431202001201', '431202001201', true], // a region is within itself
    ['431202001201', '431202001000', true],
    ['431202001201', '431202000000', true],
    ['431202001201', '431200000000', true],
    ['431202001201', '430000000000', true],
    ['431202002201', '431202001000', false], // neighbouring township
    ['431221001201', '431202000000', false], // other county of the same city
    ['430102001001', '431200000000', false], // 长沙, other city
    ['431202000000', '431202001000', false], // a parent is not within its child
    ['431200000000', '431202001201', false],
    ['431202001201', '431202001202', false], // sibling village
  ])('isWithinRegion(%s, %s) is %s', (code, scope, expected) => {
    expect(isWithinRegion(code, scope)).toBe(expected);
  });

  it.each([
    ['431202001201', '431202001000'],
    ['431202001000', '431202000000'],
    ['431202000000', '431200000000'],
    ['431200000000', '430000000000'],
    ['430000000000', null],
    ['441900003000', '441900000000'],
  ])('the parent of %s is %s', (code, parent) => {
    expect(parentRegionCode(code)).toBe(parent);
  });

  it('ancestorCodes lists the chain from the province down to the code itself', () => {
    expect(ancestorCodes('431202001201')).toEqual(['430000000000', '431200000000', '431202000000', '431202001000', '431202001201']);
    expect(ancestorCodes('431202001000')).toEqual(['430000000000', '431200000000', '431202000000', '431202001000']);
    expect(ancestorCodes('431200000000')).toEqual(['430000000000', '431200000000']);
    expect(ancestorCodes('430000000000')).toEqual(['430000000000']);
    // A level skipped by the code (township directly under a city) is skipped in the chain.
    expect(ancestorCodes('441900003000')).toEqual(['440000000000', '441900000000', '441900003000']);
  });
});
