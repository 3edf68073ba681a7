import { describe, expect, it } from 'vitest';
import { enUS } from './en-US.js';
import { zhCN } from './zh-CN.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('zh-CN and en-US hold the same keys', () => {
    expect(Object.keys(enUS).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('every English message fills the same {placeholders} as the Chinese one', () => {
    const zh: Record<string, string> = zhCN;
    const mismatched = Object.entries(enUS).filter(([key, text]) => placeholders(text).join() !== placeholders(zh[key] ?? '').join());
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('has no empty message', () => {
    expect([...Object.entries(zhCN), ...Object.entries(enUS)].filter(([, text]) => text.trim() === '')).toEqual([]);
  });
});
