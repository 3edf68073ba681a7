import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, localeFromAcceptLanguage } from './locale.js';

describe('Accept-Language → interface language', () => {
  it('defaults to Chinese (zh-CN) when nothing usable is asked for', () => {
    expect(DEFAULT_LOCALE).toBe('zh-CN');
    expect(localeFromAcceptLanguage(undefined)).toBe('zh-CN');
    expect(localeFromAcceptLanguage('')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('*')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr-FR,de;q=0.8')).toBe('zh-CN');
  });

  it.each([
    // What real browsers send.
    ['en-US,en;q=0.9', 'en-US'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-GB,en;q=0.9,zh-CN;q=0.8', 'en-US'],
    ['zh-TW,zh;q=0.9', 'zh-CN'],
    ['en', 'en-US'],
    ['EN-us', 'en-US'],
    // An unsupported first choice falls through to the next supported one.
    ['fr-FR,en;q=0.5', 'en-US'],
    ['ja,zh;q=0.3,en;q=0.2', 'zh-CN'],
  ])('%j → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  it.each([
    // The q-value decides, not the order in the header.
    ['en;q=0.5,zh;q=0.8', 'zh-CN'],
    ['zh;q=0.2,en;q=0.9', 'en-US'],
    ['zh-CN;q=0.1,fr;q=1,en-US;q=0.7', 'en-US'],
    // A tag without q has q=1 and beats lower weights written before it.
    ['zh;q=0.9,en', 'en-US'],
  ])('weights: %j → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  // RFC 9110 §12.4.2: weight = OWS ";" OWS "q=" qvalue — whitespace around ";" is allowed.
  it.each([
    ['en ; q=0.1, zh', 'zh-CN'],
    ['en; q=0.1, zh', 'zh-CN'],
    ['zh; q=0.2, en; q=0.9', 'en-US'],
  ])('weights written with optional whitespace: %j → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  // RFC 9110 §12.4.2: q=0 means "not acceptable".
  it.each([
    ['en;q=0', 'zh-CN'],
    ['en;q=0,fr', 'zh-CN'],
    ['zh;q=0,en;q=0.1', 'en-US'],
  ])('a language weighted q=0 is never chosen: %j → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});
