import { describe, expect, it } from 'vitest';
import { normaliseStaffPhone } from './staff-phone.js';

describe('normaliseStaffPhone', () => {
  it.each([
    ['13874512345', '13874512345'],
    ['138 7451 2345', '13874512345'],
    ['+86 138 7451 2345', '13874512345'],
    ['１３８７４５１２３４５', '13874512345'],
    ['0745-2712345', '0745-2712345'],
    ['07452712345', '0745-2712345'],
    ['（0745）2712345', '0745-2712345'],
    ['0745－2712345', '0745-2712345'],
    ['010-61234567', '010-61234567'],
    ['02161234567', '021-61234567'],
  ])('%s → %s', (input, stored) => {
    expect(normaliseStaffPhone(input)).toBe(stored);
  });

  it.each([
    '',
    '12345',
    '1387451234', // ten digits
    '138745123456', // twelve
    '12874512345', // no mobile starts 12
    '0745-271234', // six-digit number
    '0745-0712345', // a local number never starts with 0
    '745-2712345', // no leading 0
    '0745-271-2345',
    '07-452712345', // the dash in the wrong place
    '110',
    '=HYPERLINK("x")',
    '138745l2345',
  ])('refuses %j', (input) => {
    expect(normaliseStaffPhone(input)).toBeNull();
  });
});
