import { Button, Spin } from 'antd';
import { Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import type { Action } from '../../domain/access.js';
import { FEATURES } from './features.js';
import { NAV_ITEMS } from './navigation.js';
import { useMe } from './shared/api/session.js';
import { hasPermission } from './shared/feature.js';
import { useLocale, useT } from './shared/i18n/index.js';
import { AppLayout } from './shared/layout/app-layout.js';
import { DeferredResult as Result } from './shared/deferred-result.js';
import { MenuProvider } from './shared/menu.js';

export function FullPageSpin() {
  return (
    <div className="full-page-center">
      <Spin size="large" />
    </div>
  );
}

/** Everything but the sign-in page: needs a session, and a forced password change wins over any page. */
function SignedIn() {
  const { data: me, isPending, isError, error, refetch } = useMe();
  const location = useLocation();
  const [locale, setLocale] = useLocale();
  const t = useT();

  // A new page load adopts the language saved on the account.
  const userId = me?.user.id;
  useEffect(() => {
    if (me && me.user.locale !== locale) setLocale(me.user.locale);
    // Only when the session (user) changes, not on every language switch.
  }, [userId]);

  if (isPending) return <FullPageSpin />;
  if (isError) {
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={error.message}
        extra={
          <Button type="primary" onClick={() => void refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  // The browser's URL, not the router's: a navigation still in its transition (a lazy page loading)
  // has already changed the URL, and that is the page the user asked for.
  if (!me) return <Navigate to="/sign-in" replace state={{ from: window.location.pathname + window.location.search }} />;
  if (me.user.mustChangePassword && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return (
    <MenuProvider entries={NAV_ITEMS}>
      <AppLayout>
        <Suspense fallback={<FullPageSpin />}>
          <Outlet />
        </Suspense>
      </AppLayout>
    </MenuProvider>
  );
}

function RequirePermission({ action, children }: { action: Action; children: ReactNode }) {
  const { data: me } = useMe();
  const t = useT();
  const navigate = useNavigate();
  if (me && hasPermission(me, action)) return children;
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('common.noPermission')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

function NotFound() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

/** The router, assembled from what each feature declares (features.ts). Routes rank by path, so their order does not matter. */
export function AppRoutes() {
  return (
    <Routes>
      {FEATURES.flatMap((feature) => feature.publicRoutes ?? []).map(({ path, page: Page }) => (
        <Route
          key={path}
          path={path}
          element={
            <Suspense fallback={<FullPageSpin />}>
              <Page />
            </Suspense>
          }
        />
      ))}
      <Route element={<SignedIn />}>
        {FEATURES.flatMap((feature) => feature.routes ?? []).map(({ path, permission, page: Page }) => {
          const element =
            permission === null ? (
              <Page />
            ) : (
              <RequirePermission action={permission}>
                <Page />
              </RequirePermission>
            );
          return path === '' ? <Route key="index" index element={element} /> : <Route key={path} path={path} element={element} />;
        })}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
