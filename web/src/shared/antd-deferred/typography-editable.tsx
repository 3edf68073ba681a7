/**
 * What antd's Typography imports as its Editable (web/first-page.ts redirects that one import here):
 * the real in-place editor (a TextArea), loaded when a text is first edited in place, which no page
 * does today.
 */
import type { ComponentProps } from 'react';
import { lazy, Suspense } from 'react';
import type Editable from 'antd/es/typography/Editable.js';

const RealEditable = lazy(() => import('antd/es/typography/Editable.js'));

export default function DeferredEditable(props: ComponentProps<typeof Editable>) {
  return (
    <Suspense fallback={null}>
      <RealEditable {...props} />
    </Suspense>
  );
}
