import { CopyOutlined, CheckOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Typography } from 'antd';
import { useT } from './strings.js';

export interface TemporaryPassword {
  username: string;
  password: string;
}

/** The one and only time a temporary password is shown (after create or reset). */
export function TemporaryPasswordModal({ value, onClose }: { value: TemporaryPassword | null; onClose: () => void }) {
  const t = useT();
  return (
    <Modal
      open={value !== null}
      title={t('users.tempPassword.title')}
      maskClosable={false}
      closable={false}
      // The password must not linger in the page once the dialog is closed.
      destroyOnHidden
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('users.tempPassword.done')}
        </Button>
      }
    >
      {value ? (
        <div data-testid="temporary-password">
          <Alert type="warning" showIcon message={t('users.tempPassword.warning')} className="temp-password-warning" />
          <Typography.Paragraph>{t('users.tempPassword.account', { username: value.username })}</Typography.Paragraph>
          <Typography.Paragraph
            className="temp-password-value"
            copyable={{
              text: value.password,
              icon: [
                <Button key="copy" size="small" icon={<CopyOutlined />}>
                  {t('users.tempPassword.copy')}
                </Button>,
                <Button key="copied" size="small" icon={<CheckOutlined />}>
                  {t('users.tempPassword.copied')}
                </Button>,
              ],
              tooltips: false,
            }}
          >
            <Typography.Text code className="temp-password-code">
              {value.password}
            </Typography.Text>
          </Typography.Paragraph>
        </div>
      ) : null}
    </Modal>
  );
}
