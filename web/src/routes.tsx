import { Button, Result, Spin } from 'antd';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import type { Action } from '../../domain/access.js';
import { useMe } from './shared/api/session.js';
import { AppLayout } from './shared/layout/app-layout.js';
import { useLocale, useT } from './shared/i18n/index.js';
import { hasPermission } from './navigation.js';
import { SignInPage } from './features/auth/sign-in-page.js';

// Pages load on demand so that a director's phone downloads only what he opens.
const HomePage = lazy(() => import('./features/home/home-page.js').then((m) => ({ default: m.HomePage })));
const RegionsPage = lazy(() => import('./features/regions/regions-page.js').then((m) => ({ default: m.RegionsPage })));
const CoveragePage = lazy(() => import('./features/coverage/coverage-page.js').then((m) => ({ default: m.CoveragePage })));
const UsersPage = lazy(() => import('./features/users/users-page.js').then((m) => ({ default: m.UsersPage })));
const OrganisationsPage = lazy(() => import('./features/organisations/organisations-page.js').then((m) => ({ default: m.OrganisationsPage })));
const AuditPage = lazy(() => import('./features/audit/audit-page.js').then((m) => ({ default: m.AuditPage })));
const ChildrenPage = lazy(() => import('./features/children/children-page.js').then((m) => ({ default: m.ChildrenPage })));
const ChildrenImportPage = lazy(() => import('./features/children-import/children-import-page.js').then((m) => ({ default: m.ChildrenImportPage })));
const ChildReviewPage = lazy(() => import('./features/children/child-review-page.js').then((m) => ({ default: m.ChildReviewPage })));
const ChildPage = lazy(() => import('./features/children/child-page.js').then((m) => ({ default: m.ChildPage })));
const ChildNewPage = lazy(() => import('./features/children/child-form-page.js').then((m) => ({ default: m.ChildNewPage })));
const ChildEditPage = lazy(() => import('./features/children/child-form-page.js').then((m) => ({ default: m.ChildEditPage })));
const SettingsPage = lazy(() => import('./features/settings/settings-page.js').then((m) => ({ default: m.SettingsPage })));
const VisitNewPage = lazy(() => import('./features/visits/visit-form-page.js').then((m) => ({ default: m.VisitNewPage })));
const VisitEditPage = lazy(() => import('./features/visits/visit-form-page.js').then((m) => ({ default: m.VisitEditPage })));
const PupilsPage = lazy(() => import('./features/visits/pupils-page.js').then((m) => ({ default: m.PupilsPage })));
const PupilVisitPage = lazy(() => import('./features/visits/pupils-page.js').then((m) => ({ default: m.PupilVisitPage })));
const PupilVisitEditPage = lazy(() => import('./features/visits/pupils-page.js').then((m) => ({ default: m.PupilVisitEditPage })));
const WorklistPage = lazy(() => import('./features/worklists/worklist-page.js').then((m) => ({ default: m.WorklistPage })));
const CampaignsPage = lazy(() => import('./features/campaigns/campaigns-page.js').then((m) => ({ default: m.CampaignsPage })));
const CampaignPage = lazy(() => import('./features/campaigns/campaign-page.js').then((m) => ({ default: m.CampaignPage })));
const ReportsPage = lazy(() => import('./features/reports/reports-page.js').then((m) => ({ default: m.ReportsPage })));
const ReportPage = lazy(() => import('./features/reports/reports-page.js').then((m) => ({ default: m.ReportPage })));
const ReportNewPage = lazy(() => import('./features/reports/reports-page.js').then((m) => ({ default: m.ReportNewPage })));
const ReferralsPage = lazy(() => import('./features/referrals/referrals-page.js').then((m) => ({ default: m.ReferralsPage })));
const ReferralPage = lazy(() => import('./features/referrals/referrals-page.js').then((m) => ({ default: m.ReferralPage })));
const ReferralNewPage = lazy(() => import('./features/referrals/referrals-page.js').then((m) => ({ default: m.ReferralNewPage })));
const OrdersPage = lazy(() => import('./features/orders/orders-page.js').then((m) => ({ default: m.OrdersPage })));
const OrderPage = lazy(() => import('./features/orders/orders-page.js').then((m) => ({ default: m.OrderPage })));
const OrderNewPage = lazy(() => import('./features/orders/orders-page.js').then((m) => ({ default: m.OrderNewPage })));
const InboxPage = lazy(() => import('./features/inbox/inbox-page.js').then((m) => ({ default: m.InboxPage })));
const InboxReferralPage = lazy(() => import('./features/inbox/inbox-page.js').then((m) => ({ default: m.InboxReferralPage })));
const LetterPrintPage = lazy(() => import('./features/letters/letter-print-page.js').then((m) => ({ default: m.LetterPrintPage })));
const AccountPage = lazy(() => import('./features/auth/account-page.js').then((m) => ({ default: m.AccountPage })));

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
    <AppLayout>
      <Suspense fallback={<FullPageSpin />}>
        <Outlet />
      </Suspense>
    </AppLayout>
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

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<SignedIn />}>
        <Route index element={<HomePage />} />
        <Route
          path="regions"
          element={
            <RequirePermission action="region.read">
              <RegionsPage />
            </RequirePermission>
          }
        />
        <Route
          path="coverage"
          element={
            <RequirePermission action="coverage.read">
              <CoveragePage />
            </RequirePermission>
          }
        />
        <Route
          path="users"
          element={
            <RequirePermission action="user.read">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="organisations"
          element={
            <RequirePermission action="organisation.read">
              <OrganisationsPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission action="audit.read">
              <AuditPage />
            </RequirePermission>
          }
        />
        <Route
          path="children"
          element={
            <RequirePermission action="child.read">
              <ChildrenPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/review"
          element={
            <RequirePermission action="child.approve">
              <ChildReviewPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/import"
          element={
            <RequirePermission action="child.import">
              <ChildrenImportPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/new"
          element={
            <RequirePermission action="child.register">
              <ChildNewPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id"
          element={
            <RequirePermission action="child.read">
              <ChildPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id/edit"
          element={
            <RequirePermission action="child.update">
              <ChildEditPage />
            </RequirePermission>
          }
        />
        <Route
          path="settings"
          element={
            <RequirePermission action="settings.manage">
              <SettingsPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id/visits/new"
          element={
            <RequirePermission action="visit.record">
              <VisitNewPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id/letters/:kind/print"
          element={
            <RequirePermission action="letter.record">
              <LetterPrintPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id/reports/new"
          element={
            <RequirePermission action="report.create">
              <ReportNewPage />
            </RequirePermission>
          }
        />
        <Route
          path="reports"
          element={
            <RequirePermission action="report.read">
              <ReportsPage />
            </RequirePermission>
          }
        />
        <Route
          path="reports/:id"
          element={
            <RequirePermission action="report.read">
              <ReportPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id/referrals/new"
          element={
            <RequirePermission action="referral.create">
              <ReferralNewPage />
            </RequirePermission>
          }
        />
        <Route
          path="referrals"
          element={
            <RequirePermission action="referral.read">
              <ReferralsPage />
            </RequirePermission>
          }
        />
        <Route
          path="referrals/:id"
          element={
            <RequirePermission action="referral.read">
              <ReferralPage />
            </RequirePermission>
          }
        />
        <Route
          path="children/:id/orders/new"
          element={
            <RequirePermission action="order.record">
              <OrderNewPage />
            </RequirePermission>
          }
        />
        <Route
          path="orders"
          element={
            <RequirePermission action="order.read">
              <OrdersPage />
            </RequirePermission>
          }
        />
        <Route
          path="orders/:id"
          element={
            <RequirePermission action="order.read">
              <OrderPage />
            </RequirePermission>
          }
        />
        <Route
          path="inbox"
          element={
            <RequirePermission action="referral.inbox">
              <InboxPage />
            </RequirePermission>
          }
        />
        <Route
          path="inbox/:id"
          element={
            <RequirePermission action="referral.inbox">
              <InboxReferralPage />
            </RequirePermission>
          }
        />
        <Route
          path="visits/:id/edit"
          element={
            <RequirePermission action="visit.record">
              <VisitEditPage />
            </RequirePermission>
          }
        />
        <Route
          path="pupils"
          element={
            <RequirePermission action="pupil.read">
              <PupilsPage />
            </RequirePermission>
          }
        />
        <Route
          path="pupils/:id/visits/new"
          element={
            <RequirePermission action="pupil.visit">
              <PupilVisitPage />
            </RequirePermission>
          }
        />
        <Route
          path="pupils/visits/:visitId/edit"
          element={
            <RequirePermission action="pupil.visit">
              <PupilVisitEditPage />
            </RequirePermission>
          }
        />
        <Route
          path="worklist"
          element={
            <RequirePermission action="worklist.read">
              <WorklistPage />
            </RequirePermission>
          }
        />
        <Route
          path="campaigns"
          element={
            <RequirePermission action="campaign.read">
              <CampaignsPage />
            </RequirePermission>
          }
        />
        <Route
          path="campaigns/:id"
          element={
            <RequirePermission action="campaign.read">
              <CampaignPage />
            </RequirePermission>
          }
        />
        <Route path="account" element={<AccountPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
