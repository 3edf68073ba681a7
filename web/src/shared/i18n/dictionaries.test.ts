import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enUS } from './en-US.js';
import type { Strings } from './index.js';
import { zhCN } from './zh-CN.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every feature's dictionary (web/src/features/<feature>/strings.ts), beside the shared one. */
const featuresDir = new URL('../../features/', import.meta.url);
const features = await Promise.all(
  fs
    .readdirSync(featuresDir)
    .filter((name) => fs.existsSync(new URL(`${name}/strings.ts`, featuresDir)))
    .map(async (name) => {
      const module = (await import(new URL(`${name}/strings.ts`, featuresDir).href)) as { strings: Strings<string> };
      return { name, zh: module.strings['zh-CN'], en: module.strings['en-US'] };
    }),
);
const dictionaries = [{ name: 'shared', zh: zhCN as Record<string, string>, en: enUS as Record<string, string> }, ...features];

describe('dictionaries', () => {
  it('every feature keeps its words beside its code', () => {
    expect(features.map((f) => f.name)).toEqual(expect.arrayContaining(['orders', 'reports', 'referrals', 'inbox', 'children', 'visits']));
  });

  it.each(dictionaries)('$name: zh-CN and en-US hold the same keys', ({ zh, en }) => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it.each(dictionaries)('$name: every English message fills the same {placeholders} as the Chinese one', ({ zh, en }) => {
    const mismatched = Object.entries(en).filter(([key, text]) => placeholders(text).join() !== placeholders(zh[key] ?? '').join());
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it.each(dictionaries)('$name: has no empty message', ({ zh, en }) => {
    expect([...Object.entries(zh), ...Object.entries(en)].filter(([, text]) => text.trim() === '')).toEqual([]);
  });

  it('no key is in two dictionaries (a feature would silently read the other one\'s words)', () => {
    const owners = new Map<string, string[]>();
    for (const { name, zh } of dictionaries) for (const key of Object.keys(zh)) owners.set(key, [...(owners.get(key) ?? []), name]);
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
  });
});
