import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../../../domain/locale.js';
import { enUS } from './en-US.js';
import { zhCN, type MessageKey } from './zh-CN.js';

export type { MessageKey };
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS };
const STORAGE_KEY = 'shouhu.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function applyLocale(locale: Locale): void {
  // Node (unit tests of modules that import the app's pages) has no document.
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
}

/** The UI language, readable outside React so that the API client can send it. */
let activeLocale: Locale = readStoredLocale();
applyLocale(activeLocale);

export function getActiveLocale(): Locale {
  return activeLocale;
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return fill(DICTIONARIES[locale][key], params);
}

function fill(template: string, params: MessageParams | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** True when `key` is a message key (used for labels of open-ended codes such as audit actions). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(activeLocale);
  const setLocale = useCallback((next: Locale) => {
    activeLocale = next;
    applyLocale(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    setLocaleState(next);
  }, []);
  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside <I18nProvider>');
  return value;
}

/** The shared words only (app shell, common buttons, menu, labels of shared codes); a feature uses its own `useT` (strings.ts). */
export function useT(): Translate {
  return useI18n().t;
}

// ------------------------------------------------------------------ a feature's words

/**
 * A feature's dictionary in both languages. zh-CN is the reference: en-US is typed with its keys, so a
 * key missing (or extra) in one language fails the type check. Its keys must not repeat a shared key
 * or another feature's (dictionaries.test.ts).
 */
export type Strings<K extends string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

/** What a feature's `t` accepts: its own keys and the shared ones, and no other feature's. */
export type FeatureTranslate<K extends string> = (key: K | MessageKey, params?: MessageParams) => string;

export function defineStrings<K extends string>(zhCN: Readonly<Record<K, string>>, enUS: NoInfer<Readonly<Record<K, string>>>): Strings<K> {
  return { 'zh-CN': zhCN, 'en-US': enUS };
}

/** The words of one feature, to bind once in its strings.ts: `export const useT = featureT(strings)`. */
export function featureT<K extends string>(strings: Strings<K>): () => FeatureTranslate<K> {
  const own = (locale: Locale, key: string): string | undefined => (Object.hasOwn(strings[locale], key) ? strings[locale][key as K] : undefined);
  return function useFeatureT() {
    const { locale } = useI18n();
    return useMemo<FeatureTranslate<K>>(() => (key, params) => fill(own(locale, key) ?? DICTIONARIES[locale][key as MessageKey], params), [locale]);
  };
}

/** A feature's words in one language, outside React (e.g. a letter always printed in Chinese). */
export function featureTranslate<K extends string>(strings: Strings<K>, locale: Locale): FeatureTranslate<K> {
  return (key, params) => fill((Object.hasOwn(strings[locale], key) ? strings[locale][key as K] : undefined) ?? DICTIONARIES[locale][key as MessageKey], params);
}

/** True when `key` is one of the feature's keys (labels of open-ended codes). */
export function isKeyOf<K extends string>(strings: Strings<K>, key: string): key is K {
  return Object.hasOwn(strings['zh-CN'], key);
}

export function useLocale(): [Locale, (locale: Locale) => void] {
  const { locale, setLocale } = useI18n();
  return [locale, setLocale];
}
