import { lazyPage, type Feature } from '../../shared/feature.js';

export const lettersFeature: Feature = {
  name: 'letters',
  routes: [{ path: 'children/:id/letters/:kind/print', permission: 'letter.record', page: lazyPage(() => import('./letter-print-page.js'), 'LetterPrintPage') }],
};
