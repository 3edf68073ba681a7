import { Segmented } from 'antd';
import { LOCALES, type Locale } from '../../../../domain/locale.js';
import { useMe, useUpdatePreferences } from '../api/session.js';
import { useLocale, useT } from '../i18n/index.js';
import { useShowApiError } from '../api-feedback.js';

/** zh-CN / English. Signed in, the choice is saved on the account as well. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const [locale, setLocale] = useLocale();
  const t = useT();
  const { data: me } = useMe();
  const updatePreferences = useUpdatePreferences();
  const showError = useShowApiError();

  const change = (next: Locale) => {
    setLocale(next);
    if (me && me.user.locale !== next) updatePreferences.mutate(next, { onError: (error) => showError(error) });
  };

  return (
    <Segmented<Locale>
      size={size}
      aria-label={t('lang.label')}
      value={locale}
      onChange={change}
      options={LOCALES.map((value) => ({ value, label: t(`lang.${value}`) }))}
    />
  );
}
