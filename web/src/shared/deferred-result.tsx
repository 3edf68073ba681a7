/**
 * antd's <Result>, loaded when first shown. Its module holds the 403, 404 and 500 pictures (6 KB of
 * gzipped JavaScript) that the shell needs only on a page that failed, and the home page only for a
 * volunteer: kept off everybody's first page (issue 15 §6). It shows as soon as its chunk is in.
 */
import type { ResultProps } from 'antd';
import { lazy, Suspense } from 'react';

const Result = lazy(() => import('antd/es/result/index.js'));

export function DeferredResult(props: ResultProps) {
  return (
    <Suspense fallback={null}>
      <Result {...props} />
    </Suspense>
  );
}
