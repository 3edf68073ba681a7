import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../shared/api/client.js';
import { peekSessionEndNotice, useLogin, useMe } from '../../shared/api/session.js';
import { LanguageSwitch } from '../../shared/layout/language-switch.js';
import { useT } from './strings.js';

interface SignInValues {
  username: string;
  password: string;
}

function redirectTarget(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string' && state.from.startsWith('/')) {
    return state.from;
  }
  return '/';
}

export function SignInPage() {
  const t = useT();
  const { data: me } = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<SignInValues>();
  const [error, setError] = useState<string | null>(null);
  const notice = peekSessionEndNotice();

  if (me) return <Navigate to={me.user.mustChangePassword ? '/account' : redirectTarget(location.state)} replace />;

  const submit = (values: SignInValues) => {
    setError(null);
    login.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onSuccess: (signedIn) => {
          void navigate(signedIn.user.mustChangePassword ? '/account' : redirectTarget(location.state), { replace: true });
        },
        onError: (failure) => {
          setError(isApiError(failure) ? failure.message : t('common.error.unexpected'));
          form.setFieldValue('password', '');
        },
      },
    );
  };

  return (
    <div className="sign-in-page">
      <div className="sign-in-language">
        <LanguageSwitch size="small" />
      </div>
      <Card className="sign-in-card" variant="borderless">
        <div className="sign-in-brand">
          <SafetyCertificateOutlined className="sign-in-logo" />
          <Typography.Title level={3} className="sign-in-title">
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        {error ? (
          <Alert type="error" showIcon message={error} className="sign-in-error" data-testid="sign-in-error" />
        ) : notice ? (
          <Alert type="info" showIcon message={notice} className="sign-in-error" data-testid="sign-in-notice" />
        ) : null}
        <Form<SignInValues> form={form} layout="vertical" requiredMark={false} onFinish={submit} onValuesChange={() => setError(null)}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" spellCheck={false} size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            {t('auth.signIn')}
          </Button>
        </Form>
        <Typography.Text type="secondary" className="sign-in-hint">
          {t('auth.demoHint')}
        </Typography.Text>
      </Card>
    </div>
  );
}
