import { Alert, App, Button, Card, Descriptions, Form, Input, Space } from 'antd';
import type { ChangePasswordInput } from '../../../../domain/api.js';
import { useChangePassword, useSession, useUpdatePhone } from '../../shared/api/session.js';
import { StaffPhoneField } from '../../shared/staff-phone-field.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { LanguageSwitch } from '../../shared/layout/language-switch.js';
import { PageHeader } from '../../shared/page-header.js';
import { visibleScopePath } from '../../shared/layout/scope-breadcrumb.js';
import { useT } from './strings.js';
import { roleLabel } from '../../shared/i18n/labels.js';

interface PasswordValues extends ChangePasswordInput {
  confirmPassword: string;
}

const FORM_FIELDS = ['currentPassword', 'newPassword'] as const;

/** The own work phone: the guardianship letters that name this user print it for the family. */
function PhoneCard() {
  const t = useT();
  const me = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ phone: string | undefined }>();
  const updatePhone = useUpdatePhone();
  const showError = useShowApiError();
  return (
    <Card size="small" title={t('account.phone')} data-testid="account-phone">
      <Form<{ phone: string | undefined }>
        form={form}
        layout="vertical"
        className="password-form"
        requiredMark={false}
        initialValues={{ phone: me.user.phone ?? undefined }}
        onFinish={({ phone }) =>
          updatePhone.mutate(phone?.trim() ? phone.trim() : null, {
            onSuccess: (next) => {
              form.setFieldsValue({ phone: next.user.phone ?? undefined });
              void message.success(t('account.phoneSaved'));
            },
            onError: (error) => showError(error, { instance: form, fields: ['phone'] }),
          })
        }
      >
        <StaffPhoneField />
        <Button htmlType="submit" loading={updatePhone.isPending} data-testid="account-phone-save">
          {t('account.phoneSave')}
        </Button>
      </Form>
    </Card>
  );
}

/** Same rule as the server's: at least 8 characters, letters and digits. */
export function isStrongPassword(value: string): boolean {
  return value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value);
}

export function AccountPage() {
  const t = useT();
  const me = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const changePassword = useChangePassword();
  const showError = useShowApiError();

  const submit = ({ currentPassword, newPassword }: PasswordValues) => {
    changePassword.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          void message.success(t('account.passwordChanged'));
          form.resetFields();
        },
        onError: (error) => showError(error, { instance: form, fields: FORM_FIELDS }),
      },
    );
  };

  const scopeText = [
    ...visibleScopePath(me.scope).map((region) => region.name),
    ...(me.scope.kind === 'organisation' ? [me.scope.organisation.name] : []),
  ].join(' / ');

  return (
    <div className="account-page">
      <PageHeader title={t('account.title')} />
      <Space direction="vertical" size={16} className="full-width">
        {me.user.mustChangePassword ? <Alert type="warning" showIcon message={t('account.mustChange')} data-testid="must-change-password" /> : null}
        <Card size="small" title={t('account.profile')}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('auth.username')}>{me.user.username}</Descriptions.Item>
            <Descriptions.Item label={t('users.col.displayName')}>{me.user.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('users.col.role')}>{roleLabel(t, me.user.role)}</Descriptions.Item>
            <Descriptions.Item label={t('users.col.scope')}>{scopeText}</Descriptions.Item>
            <Descriptions.Item label={t('account.phone')}>{me.user.phone ?? t('account.phoneNone')}</Descriptions.Item>
          </Descriptions>
        </Card>
        <PhoneCard />
        <Card size="small" title={t('account.changePassword')}>
          <Form<PasswordValues> form={form} layout="vertical" onFinish={submit} className="password-form" requiredMark={false}>
            <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item
              name="newPassword"
              label={t('account.newPassword')}
              extra={t('account.passwordRule')}
              dependencies={['currentPassword']}
              rules={[
                { required: true, message: t('account.passwordRule') },
                {
                  validator: (_, value: string | undefined) =>
                    !value || isStrongPassword(value) ? Promise.resolve() : Promise.reject(new Error(t('account.passwordRule'))),
                },
                ({ getFieldValue }) => ({
                  validator: (_, value: string | undefined) =>
                    !value || value !== getFieldValue('currentPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.passwordSame'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirmPassword"
              label={t('account.confirmPassword')}
              dependencies={['newPassword']}
              rules={[
                { required: true, message: t('account.passwordMismatch') },
                ({ getFieldValue }) => ({
                  validator: (_, value: string | undefined) =>
                    !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.passwordMismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={changePassword.isPending}>
              {t('account.changePassword')}
            </Button>
          </Form>
        </Card>
        <Card size="small" title={t('account.language')}>
          <LanguageSwitch />
        </Card>
      </Space>
    </div>
  );
}
