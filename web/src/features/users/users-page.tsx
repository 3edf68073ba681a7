import { EditOutlined, KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState, type Key } from 'react';
import type { UserRecord } from '../../../../domain/api.js';
import { isRegionCode } from '../../../../domain/regions.js';
import { ROLES, canDisableRole, canManageRole, type Role } from '../../../../domain/roles.js';
import { useSession } from '../../shared/api/session.js';
import { useResetPassword, useUpdateUser, useUsers, type UserListFilters, type UserSort } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import { TemporaryPasswordModal, type TemporaryPassword } from './temporary-password-modal.js';
import { positiveIntParam } from '../../shared/url-params.js';
import { FilterBar, useListParams } from '../../shared/filter-bar.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useT } from './strings.js';
import { roleLabel } from '../../shared/i18n/labels.js';
import { hasPermission } from '../../shared/feature.js';
import { UserFormModal } from './user-form-modal.js';

const SORTS: readonly UserSort[] = ['username', '-username', 'createdAt', '-createdAt', 'lastLoginAt', '-lastLoginAt'];
type SortField = 'username' | 'createdAt' | 'lastLoginAt';

function isRole(value: string | null): value is Role {
  return value !== null && (ROLES as readonly string[]).includes(value);
}

function isSort(value: string | null): value is UserSort {
  return value !== null && (SORTS as readonly string[]).includes(value);
}

/** Reads the list filters from the URL, ignoring anything malformed. */
function filtersFromParams(params: URLSearchParams): UserListFilters {
  const role = params.get('role');
  const region = params.get('region');
  const disabled = params.get('disabled');
  const sort = params.get('sort');
  return {
    q: params.get('q') ?? undefined,
    role: isRole(role) ? role : undefined,
    region: region && isRegionCode(region) ? region : undefined,
    disabled: disabled === 'true' || disabled === 'false' ? disabled : undefined,
    sort: isSort(sort) ? sort : 'username',
    page: positiveIntParam(params.get('page'), 1),
    pageSize: positiveIntParam(params.get('pageSize'), 20, 200),
  };
}

function sortOrder(sort: UserSort, field: SortField): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

export function UsersPage() {
  const t = useT();
  const me = useSession();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const list = useListParams();
  const filters = filtersFromParams(list.params);
  const users = useUsers(filters);
  const updateUser = useUpdateUser();
  const resetPassword = useResetPassword();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRecord | null>(null);
  const [temporary, setTemporary] = useState<TemporaryPassword | null>(null);

  const canManage = hasPermission(me, 'user.manage');
  const manageable = (user: UserRecord) => canManage && user.id !== me.user.id && canManageRole(me.user.role, user.role);
  // The system administrator may only disable an account it does not manage (domain/roles canDisableRole).
  const disableOnly = (user: UserRecord) =>
    canManage && user.id !== me.user.id && !user.disabled && !canManageRole(me.user.role, user.role) && canDisableRole(me.user.role, user.role);

  const setDisabled = (user: UserRecord, disabled: boolean) => {
    updateUser.mutate(
      { id: user.id, input: { disabled } },
      {
        onSuccess: () => void message.success(t(disabled ? 'users.disabledDone' : 'users.enabledDone')),
        onError: (error) => showError(error),
      },
    );
  };

  const reset = (user: UserRecord) => {
    resetPassword.mutate(user.id, {
      onSuccess: (result) => setTemporary({ username: result.user.username, password: result.temporaryPassword }),
      onError: (error) => showError(error),
    });
  };

  const toggleDisabled = (user: UserRecord) => (
    <Popconfirm
      title={t(user.disabled ? 'users.confirmEnable' : 'users.confirmDisable', { name: user.displayName })}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: !user.disabled }}
      onConfirm={() => setDisabled(user, !user.disabled)}
    >
      <Button type="link" size="small" danger={!user.disabled} icon={user.disabled ? <CheckCircleOutlined /> : <StopOutlined />}>
        {t(user.disabled ? 'users.enable' : 'users.disable')}
      </Button>
    </Popconfirm>
  );

  const columns: RecordColumn<UserRecord>[] = [
    {
      title: t('users.col.username'),
      dataIndex: 'username',
      key: 'username',
      sorter: true,
      sortOrder: sortOrder(filters.sort, 'username'),
      render: (username: string) => <Typography.Text code>{username}</Typography.Text>,
    },
    { title: t('users.col.displayName'), dataIndex: 'displayName' },
    { title: t('users.form.phone'), dataIndex: 'phone', render: (phone: string | null) => phone ?? '—' },
    { title: t('users.col.role'), dataIndex: 'role', render: (role: Role) => roleLabel(t, role) },
    {
      title: t('users.col.scope'),
      key: 'scope',
      render: (_: unknown, user) => user.organisationName ?? user.regionName ?? '—',
    },
    {
      title: t('common.status'),
      key: 'status',
      card: 'tag',
      render: (_: unknown, user) => (
        <Space size={4} wrap>
          {user.disabled ? <Tag color="default">{t('users.status.disabled')}</Tag> : <Tag color="green">{t('users.status.active')}</Tag>}
          {user.locked ? <Tag color="red">{t('users.status.locked')}</Tag> : null}
          {user.mustChangePassword ? <Tag color="orange">{t('users.status.mustChange')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('users.col.lastLogin'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      sorter: true,
      sortOrder: sortOrder(filters.sort, 'lastLoginAt'),
      render: (at: string | null) => formatDateTime(at, t('common.never')),
    },
    {
      title: t('users.col.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      card: 'none',
      sorter: true,
      sortOrder: sortOrder(filters.sort, 'createdAt'),
      render: (at: string) => formatDateTime(at),
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, user) =>
        manageable(user) ? (
          <Space size={0} wrap>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(user)}>
              {t('common.edit')}
            </Button>
            {toggleDisabled(user)}
            <Popconfirm
              title={t('users.confirmReset', { name: user.displayName })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => reset(user)}
            >
              <Button type="link" size="small" icon={<KeyOutlined />}>
                {t('users.resetPassword')}
              </Button>
            </Popconfirm>
          </Space>
        ) : disableOnly(user) ? (
          toggleDisabled(user)
        ) : null,
    });
  }

  const onSort = (field: Key | undefined, order: 'ascend' | 'descend' | undefined) => {
    const next: UserSort | undefined = (field === 'username' || field === 'createdAt' || field === 'lastLoginAt') && order ? (order === 'descend' ? `-${field}` : field) : undefined;
    list.filter({ sort: next });
  };

  return (
    <div>
      <PageHeader
        title={t('users.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">
              {t('users.create')}
            </Button>
          ) : null
        }
      />
      {me.user.role === 'sysadmin' ? <Alert type="info" showIcon className="users-note" message={t('users.sysadminNote')} data-testid="sysadmin-note" /> : null}
      <Card size="small">
        <FilterBar
          filters={[
            { kind: 'search', placeholder: t('users.searchPlaceholder') },
            { kind: 'select', param: 'role', placeholder: t('users.filter.role'), options: ROLES.map((role) => ({ value: role, label: roleLabel(t, role) })) },
            {
              kind: 'custom',
              params: ['region'],
              node: <RegionTreeSelect className="filter-select" placeholder={t('users.filter.region')} value={filters.region} onChange={(region) => list.filter({ region })} />,
            },
            {
              kind: 'select',
              param: 'disabled',
              placeholder: t('users.filter.status'),
              options: [
                { value: 'false', label: t('users.status.active') },
                { value: 'true', label: t('users.status.disabled') },
              ],
            },
          ]}
        />
        <RecordTable<UserRecord>
          testId="users-table"
          columns={columns}
          query={users}
          list={list}
          onSort={onSort}
          showSizeChanger
          empty={t('users.empty')}
        />
      </Card>
      {canManage ? <UserFormModal mode="create" open={creating} onClose={() => setCreating(false)} onCreated={setTemporary} /> : null}
      {canManage ? <UserFormModal mode="edit" open={editing !== null} user={editing} onClose={() => setEditing(null)} /> : null}
      <TemporaryPasswordModal value={temporary} onClose={() => setTemporary(null)} />
    </div>
  );
}
