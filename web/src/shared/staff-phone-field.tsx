import { Form, Input } from 'antd';
import { normaliseStaffPhone } from '../../../domain/staff-phone.js';
import { useT } from './i18n/index.js';

/** The work phone of an account (工作电话), checked by the server's rule; printed on the guardianship letters that name the user. */
export function StaffPhoneField({ name = 'phone' }: { name?: string }) {
  const t = useT();
  return (
    <Form.Item
      name={name}
      label={t('users.form.phone')}
      extra={t('users.form.phoneHelp')}
      rules={[
        {
          validator: (_, value: string | undefined) =>
            !value?.trim() || normaliseStaffPhone(value) ? Promise.resolve() : Promise.reject(new Error(t('users.form.phoneInvalid'))),
        },
      ]}
    >
      <Input inputMode="tel" autoComplete="tel" maxLength={30} placeholder="13800000000 / 0745-2712345" />
    </Form.Item>
  );
}
