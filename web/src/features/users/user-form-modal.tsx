import { Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import type { UserCreateInput, UserRecord, UserUpdateInput } from '../../../../domain/api.js';
import { AGENCY_KINDS, MANAGEABLE_ROLES, ROLE_REGION_LEVEL, isRegionRole, type OrganisationKind, type Role } from '../../../../domain/roles.js';
import { useSession } from '../../shared/api/session.js';
import { useCreateUser, useUpdateUser } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { OrganisationSelect } from './organisation-select.js';
import { StaffPhoneField } from '../../shared/staff-phone-field.js';
import { normaliseStaffPhone } from '../../../../domain/staff-phone.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import type { TemporaryPassword } from './temporary-password-modal.js';
import { useT } from './strings.js';
import { levelLabel, roleLabel } from '../../shared/i18n/labels.js';

interface UserFormValues {
  username: string;
  displayName: string;
  role: Role | undefined;
  regionCode: string | undefined;
  organisationId: string | undefined;
  phone: string | undefined;
}

const FORM_FIELDS = ['username', 'displayName', 'role', 'regionCode', 'organisationId', 'phone'] as const;
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Which organisations an organisation-scoped role may belong to. */
export function organisationKindsFor(role: Role): readonly OrganisationKind[] | undefined {
  switch (role) {
    case 'school':
      return ['school'];
    case 'volunteer':
      return ['volunteer_team'];
    case 'agency':
      return AGENCY_KINDS;
    case 'director':
    case 'supervisor':
    case 'county_admin':
    case 'city_admin':
    case 'sysadmin':
      return undefined;
  }
}

type UserFormModalProps =
  | { mode: 'create'; open: boolean; onClose: () => void; onCreated: (result: TemporaryPassword) => void }
  | { mode: 'edit'; open: boolean; user: UserRecord | null; onClose: () => void };

export function UserFormModal(props: UserFormModalProps) {
  const t = useT();
  const me = useSession();
  const [form] = Form.useForm<UserFormValues>();
  const createUser = useCreateUser();
  const updateUser = useUpdateUser();
  const showError = useShowApiError();
  const editing = props.mode === 'edit' ? props.user : null;
  const role = Form.useWatch('role', form) ?? editing?.role;

  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    if (editing) {
      form.setFieldsValue({
        displayName: editing.displayName,
        role: editing.role,
        regionCode: editing.regionCode ?? undefined,
        organisationId: editing.organisationId ?? undefined,
        phone: editing.phone ?? undefined,
      });
    }
  }, [props.open, editing, form]);

  const submit = (values: UserFormValues) => {
    const formTarget = { instance: form, fields: FORM_FIELDS };
    if (props.mode === 'create') {
      if (!values.role) return;
      const input: UserCreateInput = {
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        role: values.role,
        ...(isRegionRole(values.role) ? { regionCode: values.regionCode } : { organisationId: values.organisationId }),
        ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
      };
      createUser.mutate(input, {
        onSuccess: (result) => {
          props.onClose();
          props.onCreated({ username: result.user.username, password: result.temporaryPassword });
        },
        onError: (error) => showError(error, formTarget),
      });
      return;
    }
    if (!editing) return;
    const input: UserUpdateInput = {};
    if (values.displayName.trim() !== editing.displayName) input.displayName = values.displayName.trim();
    const phone = values.phone?.trim() ? normaliseStaffPhone(values.phone) : null;
    if (phone !== editing.phone) input.phone = phone;
    if (isRegionRole(editing.role)) {
      if (values.regionCode && values.regionCode !== editing.regionCode) input.regionCode = values.regionCode;
    } else if (values.organisationId && values.organisationId !== editing.organisationId) {
      input.organisationId = values.organisationId;
    }
    if (Object.keys(input).length === 0) {
      props.onClose();
      return;
    }
    updateUser.mutate({ id: editing.id, input }, { onSuccess: () => props.onClose(), onError: (error) => showError(error, formTarget) });
  };

  const creatableRoles: readonly Role[] = MANAGEABLE_ROLES[me.user.role];
  const regionLevel = role && isRegionRole(role) ? ROLE_REGION_LEVEL[role] : undefined;
  const organisationKinds = role ? organisationKindsFor(role) : undefined;

  return (
    <Modal
      open={props.open}
      title={props.mode === 'create' ? t('users.create') : t('users.edit')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={props.mode === 'create' ? t('common.create') : t('common.save')}
      confirmLoading={createUser.isPending || updateUser.isPending}
      forceRender
    >
      <Form<UserFormValues>
        form={form}
        name={props.mode === 'create' ? 'user-create' : 'user-edit'}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(changed: Partial<UserFormValues>) => {
          if ('role' in changed) form.setFieldsValue({ regionCode: undefined, organisationId: undefined });
        }}
      >
        {props.mode === 'create' ? (
          <Form.Item
            name="username"
            label={t('users.form.username')}
            extra={t('users.form.usernameHelp')}
            rules={[{ required: true, pattern: USERNAME_PATTERN, message: t('users.form.usernameInvalid') }]}
          >
            <Input autoComplete="off" autoCapitalize="none" spellCheck={false} />
          </Form.Item>
        ) : (
          <Form.Item label={t('users.form.username')}>
            <Input value={editing?.username} disabled />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label={t('users.form.displayName')}
          rules={[{ required: true, whitespace: true, max: 50, message: t('users.form.displayNameRequired') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <StaffPhoneField />
        <Form.Item name="role" label={t('users.form.role')} rules={[{ required: true, message: t('users.form.roleRequired') }]}>
          <Select
            disabled={props.mode === 'edit'}
            options={(props.mode === 'edit' && editing ? [editing.role] : creatableRoles).map((value) => ({ value, label: roleLabel(t, value) }))}
          />
        </Form.Item>
        {regionLevel ? (
          <Form.Item
            name="regionCode"
            label={t('users.form.region')}
            extra={t('users.form.regionHelp', { level: levelLabel(t, regionLevel) })}
            rules={[{ required: true, message: t('users.form.regionRequired') }]}
          >
            <RegionTreeSelect level={regionLevel} allowClear={false} />
          </Form.Item>
        ) : null}
        {role && !isRegionRole(role) ? (
          <Form.Item
            name="organisationId"
            label={t('users.form.organisation')}
            rules={[{ required: true, message: t('users.form.organisationRequired') }]}
          >
            <OrganisationSelect kinds={organisationKinds} initialLabel={editing?.organisationName ?? undefined} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
