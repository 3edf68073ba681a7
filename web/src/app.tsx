import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUSAntd from 'antd/es/locale/en_US';
import zhCNAntd from 'antd/es/locale/zh_CN';
import { useState } from 'react';
import { BrowserRouter } from 'react-router';
import { isApiError, setCsrfToken } from './shared/api/client.js';
import { meKey, noteSessionEnded } from './shared/api/session.js';
import { offlineSessionEnded } from './shared/offline/bridge.js';
import { forgetSession } from './shared/offline/session-snapshot.js';
import { I18nProvider, useLocale } from './shared/i18n/index.js';
import { AppRoutes } from './routes.js';

/** A 401 anywhere ends the session in the UI; a forced password change re-reads the session. */
function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // networkMode always: without a signal a query still runs and fails at once, so that it can read the phone's copy
    // (shared/offline/bridge.ts orOffline) and a write can go to the outbox, instead of waiting paused.
    defaultOptions: { queries: { retry: (count, error) => !isApiError(error) && count < 2, refetchOnWindowFocus: false, networkMode: 'always' }, mutations: { networkMode: 'always' } },
    queryCache: new QueryCache({ onError: (error) => handleSessionError(client, error) }),
    mutationCache: new MutationCache({ onError: (error) => handleSessionError(client, error) }),
  });
  return client;
}

function handleSessionError(client: QueryClient, error: unknown): void {
  if (!isApiError(error)) return;
  if (error.status === 401 && error.code !== 'BAD_CREDENTIALS') {
    setCsrfToken(null);
    forgetSession();
    offlineSessionEnded();
    if (client.getQueryData(meKey)) noteSessionEnded(error.message);
    client.setQueryData(meKey, null);
  } else if (error.code === 'PASSWORD_CHANGE_REQUIRED') {
    void client.invalidateQueries({ queryKey: meKey });
  }
}

const THEME = {
  token: {
    colorPrimary: '#1f6f5c',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
  },
  components: {
    Menu: { itemSelectedBg: '#e3f1ec', itemSelectedColor: '#1f6f5c', itemActiveBg: '#eef6f3' },
    Tree: { nodeSelectedBg: '#cfe7df' },
  },
};

function LocalizedApp() {
  const [locale] = useLocale();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCNAntd : enUSAntd} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <LocalizedApp />
      </I18nProvider>
    </QueryClientProvider>
  );
}
