/**
 * The outbox feature's words (zh-CN and en-US beside this file) and its own `useT`, `Translate` and
 * `MessageKey`: they take this feature's keys and the shared ones, and no other feature's.
 */
import { defineStrings, featureT, type FeatureTranslate, type MessageKey as SharedKey } from '../../shared/i18n/index.js';
import { enUS } from './strings.en-US.js';
import { zhCN, type Key } from './strings.zh-CN.js';

export type MessageKey = Key | SharedKey;
export type Translate = FeatureTranslate<Key>;
export const strings = defineStrings(zhCN, enUS);
export const useT = featureT(strings);
