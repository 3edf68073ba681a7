import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useRevealChildField, type RevealField } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useT } from './strings.js';
import { hasPermission } from '../../shared/feature.js';
import { useShowApiError } from '../../shared/api-feedback.js';

/**
 * A masked ID or phone number with a “显示” button: after a confirmation that
 * says the reveal is audited, the server returns the number in clear.
 */
export function RevealNumber({ childId, field, masked, testId }: { childId: string; field: RevealField; masked: string | null; testId?: string }) {
  const t = useT();
  const me = useSession();
  const { modal } = App.useApp();
  const showError = useShowApiError();
  const reveal = useRevealChildField();
  const [value, setValue] = useState<string | null>(null);

  if (!masked) return <Typography.Text type="secondary">{t('childPage.none')}</Typography.Text>;
  if (value !== null) {
    return (
      <Tooltip title={t('childPage.revealed')}>
        <Typography.Text copyable className="child-number" data-testid={testId ? `${testId}-value` : undefined}>
          {value}
        </Typography.Text>
      </Tooltip>
    );
  }
  const ask = () => {
    modal.confirm({
      title: t('childPage.revealTitle'),
      content: t('childPage.revealBody'),
      okText: t('childPage.revealOk'),
      cancelText: t('common.cancel'),
      onOk: () =>
        reveal.mutateAsync({ id: childId, field }).then(
          (clear) => setValue(clear ?? ''),
          (error: unknown) => showError(error),
        ),
    });
  };
  return (
    <span className="child-number-row">
      <Typography.Text className="child-number" data-testid={testId}>
        {masked}
      </Typography.Text>
      {hasPermission(me, 'child.reveal') ? (
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={ask} loading={reveal.isPending} data-testid={testId ? `${testId}-reveal` : undefined}>
          {t('childPage.reveal')}
        </Button>
      ) : null}
    </span>
  );
}
