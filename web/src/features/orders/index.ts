import { SafetyOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const ordersFeature: Feature = {
  name: 'orders',
  routes: [
    { path: 'children/:id/orders/new', permission: 'order.record', page: lazyPage(() => import('./orders-page.js'), 'OrderNewPage') },
    { path: 'orders', permission: 'order.read', page: lazyPage(() => import('./orders-page.js'), 'OrdersPage') },
    { path: 'orders/:id', permission: 'order.read', page: lazyPage(() => import('./orders-page.js'), 'OrderPage') },
  ],
  menu: [{ key: 'orders', path: '/orders', label: 'order.nav', description: 'order.navDescription', permission: 'order.read', icon: SafetyOutlined }],
};
