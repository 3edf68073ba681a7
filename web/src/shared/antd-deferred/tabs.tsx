/**
 * What antd's Card imports as its Tabs (web/first-page.ts redirects that one import here): the real
 * Tabs, loaded when a card first shows tabs (`tabList`, which no page uses today). Pages that import
 * Tabs themselves get it as usual.
 */
import type { TabsProps } from 'antd';
import { lazy, Suspense } from 'react';

const Tabs = lazy(() => import('antd/es/tabs/index.js'));

export default function CardTabs(props: TabsProps) {
  return (
    <Suspense fallback={null}>
      <Tabs {...props} />
    </Suspense>
  );
}
