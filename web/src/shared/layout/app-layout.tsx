import { useQueryClient } from '@tanstack/react-query';
import { CloudUploadOutlined, LogoutOutlined, MenuOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Grid, Layout, Menu, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useLogout, useSession } from '../api/session.js';
import { useT } from '../i18n/index.js';
import { roleLabel } from '../i18n/labels.js';
import { useMenuKeyForPath, useVisibleMenu } from '../menu.js';
import { startOfflineWork, useOutboxSummary } from '../offline/bridge.js';
import { OfflineNotice } from '../offline/offline-notice.js';
import { LanguageSwitch } from './language-switch.js';
import { ScopeBreadcrumb } from './scope-breadcrumb.js';

const MenuDrawer = lazy(() => import('./menu-drawer.js').then((m) => ({ default: m.MenuDrawer })));

function Brand() {
  const t = useT();
  return (
    <div className="brand">
      <SafetyCertificateOutlined className="brand-icon" />
      <span className="brand-name">{t('app.name')}</span>
    </div>
  );
}

function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const me = useSession();
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const selectedKey = useMenuKeyForPath(location.pathname);
  const items = useVisibleMenu(me).map(({ key, icon: Icon, label, path }) => ({ key, icon: <Icon />, label: t(label), path }));
  return (
    <Menu
      mode="inline"
      data-testid="nav-menu"
      selectedKeys={[selectedKey]}
      items={items.map(({ key, icon, label }) => ({ key, icon, label }))}
      onClick={({ key }) => {
        const target = items.find((item) => item.key === key);
        if (target) void navigate(target.path);
        onNavigate?.();
      }}
    />
  );
}

function UserMenu({ compact }: { compact: boolean }) {
  const me = useSession();
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const logout = useLogout();
  const outbox = useOutboxSummary();

  const signOut = () => {
    const leave = () =>
      logout.mutate(undefined, {
        onSettled: () => {
          void message.success(t('auth.signedOut'));
          void navigate('/sign-in', { replace: true });
        },
      });
    // Signing out wipes the phone's copy and outbox: work not yet sent is named first.
    const unsent = (outbox?.waiting ?? 0) + (outbox?.problems ?? 0);
    if (unsent === 0) {
      leave();
      return;
    }
    modal.confirm({
      title: t('outbox.signOutTitle', { count: unsent }),
      content: <span data-testid="sign-out-unsent">{t('outbox.signOutBody')}</span>,
      okText: t('auth.signOut'),
      okButtonProps: { danger: true, ...{ 'data-testid': 'sign-out-confirm' } },
      onOk: leave,
    });
  };

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', disabled: true, label: `${me.user.displayName} · ${roleLabel(t, me.user.role)}` },
          { type: 'divider' },
          { key: 'account', icon: <UserOutlined />, label: t('nav.account') },
          { key: 'sign-out', icon: <LogoutOutlined />, label: t('auth.signOut'), danger: true },
        ],
        onClick: ({ key }) => {
          if (key === 'account') void navigate('/account');
          if (key === 'sign-out') signOut();
        },
      }}
    >
      <Button type="text" className="user-button" data-testid="user-menu">
        <Avatar size="small" icon={<UserOutlined />} className="user-avatar" />
        {compact ? null : (
          <span className="user-text">
            <span className="user-name">{me.user.displayName}</span>
            <Tag className="user-role" bordered={false} color="green">
              {roleLabel(t, me.user.role)}
            </Tag>
          </span>
        )}
      </Button>
    </Dropdown>
  );
}

/** The outbox in the header: how many items wait (red while a mandatory report does), or need their author; a tap opens it. */
function OutboxButton() {
  const t = useT();
  const navigate = useNavigate();
  const outbox = useOutboxSummary();
  if (!outbox || outbox.waiting + outbox.problems === 0) return null;
  const urgent = outbox.reportsWaiting > 0 || outbox.problems > 0;
  return (
    <Button type="text" size="small" icon={<CloudUploadOutlined />} onClick={() => void navigate('/outbox')} data-testid="outbox-button" aria-label={t('outbox.badge')} className="outbox-button">
      <span className={`outbox-count${urgent ? ' outbox-count-urgent' : ''}`}>{outbox.waiting + outbox.problems}</span>
    </Button>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  const me = useSession();
  // The phone's copy and outbox open once the page is idle (never on the first page's critical path).
  const queryClient = useQueryClient();
  useEffect(() => startOfflineWork(me, () => queryClient.isFetching() > 0), [me, queryClient]);
  const t = useT();
  const screens = Grid.useBreakpoint();
  // Below 768 px the side menu becomes a drawer.
  const isMobile = screens.md !== true;
  const [drawerOpen, setDrawerOpen] = useState(false);
  // The drawer's code is loaded at the first tap on the menu button, and the drawer kept from then on.
  const [drawerUsed, setDrawerUsed] = useState(false);
  const openDrawer = () => {
    setDrawerUsed(true);
    setDrawerOpen(true);
  };

  return (
    <Layout className="app-layout">
      {isMobile ? null : (
        <Layout.Sider theme="light" width={216} className="app-sider">
          <Brand />
          <NavMenu />
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="app-header">
          {isMobile ? (
            <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={openDrawer} data-testid="menu-button" />
          ) : null}
          {isMobile ? <Brand /> : null}
          {isMobile ? null : (
            <div className="app-header-scope">
              <ScopeBreadcrumb scope={me.scope} />
            </div>
          )}
          <div className="app-header-actions">
            <OutboxButton />
            <LanguageSwitch size="small" />
            <UserMenu compact={isMobile} />
          </div>
        </Layout.Header>
        {isMobile ? (
          <div className="app-scope-bar">
            <ScopeBreadcrumb scope={me.scope} />
            <Typography.Text type="secondary" className="app-scope-role">
              {me.user.displayName} · {roleLabel(t, me.user.role)}
            </Typography.Text>
          </div>
        ) : null}
        <OfflineNotice />
        <Layout.Content className="app-content">{children}</Layout.Content>
      </Layout>
      {isMobile && drawerUsed ? (
        <Suspense fallback={null}>
          <MenuDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)} title={<Brand />}>
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </MenuDrawer>
        </Suspense>
      ) : null}
    </Layout>
  );
}
