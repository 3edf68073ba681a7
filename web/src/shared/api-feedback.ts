import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { isApiError } from './api/client.js';
import { useT } from './i18n/index.js';

/**
 * Shows a server error where the user will see it: on the form field the
 * server named (when the form has that field), otherwise as a message.
 * The server already wrote the message in the user's language.
 */
export function useShowApiError() {
  const { message } = App.useApp();
  const t = useT();
  return useCallback(
    (error: unknown, form?: { instance: FormInstance; fields: readonly string[] }) => {
      if (isApiError(error)) {
        if (error.field && form?.fields.includes(error.field)) {
          form.instance.setFields([{ name: error.field, errors: [error.message] }]);
          return;
        }
        void message.error(error.message);
        return;
      }
      void message.error(t('common.error.unexpected'));
    },
    [message, t],
  );
}
