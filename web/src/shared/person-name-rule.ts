import { isPersonName } from '../../../domain/person-name.js';
import type { Translate } from './i18n/index.js';

/**
 * The form's rule for a person's name (domain/person-name.ts, the same test
 * the API applies): Chinese characters or letters, parts joined by ·, a space,
 * a hyphen or an apostrophe; no digits, no = + @. An empty field is left to
 * the field's own "required" rule.
 */
export function personNameRule(t: Translate) {
  return {
    validator: (_: unknown, value: string | undefined) => {
      const text = value?.trim();
      if (!text || isPersonName(text)) return Promise.resolve();
      return Promise.reject(new Error(t('form.personName')));
    },
  };
}
