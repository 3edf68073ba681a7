import { FileDoneOutlined, IdcardOutlined } from '@ant-design/icons';
import { lazyPage, type Feature } from '../../shared/feature.js';

export const childrenFeature: Feature = {
  name: 'children',
  routes: [
    { path: 'children', permission: 'child.read', page: lazyPage(() => import('./children-page.js'), 'ChildrenPage') },
    { path: 'children/review', permission: 'child.approve', page: lazyPage(() => import('./child-review-page.js'), 'ChildReviewPage') },
    { path: 'children/new', permission: 'child.register', page: lazyPage(() => import('./child-form-page.js'), 'ChildNewPage') },
    { path: 'children/:id', permission: 'child.read', page: lazyPage(() => import('./child-page.js'), 'ChildPage') },
    { path: 'children/:id/edit', permission: 'child.update', page: lazyPage(() => import('./child-form-page.js'), 'ChildEditPage') },
  ],
  menu: [
    { key: 'children', path: '/children', label: 'nav.children', description: 'home.link.children', permission: 'child.read', icon: IdcardOutlined },
    { key: 'childReview', path: '/children/review', label: 'nav.childReview', description: 'home.link.childReview', permission: 'child.approve', icon: FileDoneOutlined },
  ],
};
