import { Button, Space } from 'antd';
import { useT } from './strings.js';

/** The three buttons under a settings form: back to the defaults, undo the changes, save. */
export function SettingsButtons({ onDefaults, onUndo, changed, saving, testId }: { onDefaults: () => void; onUndo: () => void; changed: boolean; saving: boolean; testId: string }) {
  const t = useT();
  return (
    <Space wrap>
      <Button onClick={onDefaults} data-testid={`${testId}-defaults`}>
        {t('settings.restoreDefaults')}
      </Button>
      <Button onClick={onUndo} disabled={!changed}>
        {t('settings.undo')}
      </Button>
      <Button type="primary" htmlType="submit" disabled={!changed} loading={saving} data-testid={`${testId}-save`}>
        {t('settings.save')}
      </Button>
    </Space>
  );
}
