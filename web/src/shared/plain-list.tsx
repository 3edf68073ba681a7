/**
 * A plain list drawn as antd's <List> draws one (the same markup, List's own style hook), without
 * List's module: <List> imports its Pagination, and Pagination antd's Select and a virtual list —
 * 38 KB of gzipped JavaScript that the home page, everybody's first page, never shows (issue 15 §6).
 * For a short list with neither pagination, loading state nor empty text; for more, use <List>.
 */
import { ConfigProvider, Spin } from 'antd';
import useListStyle from 'antd/es/list/style';
import { Fragment, useContext, type HTMLAttributes, type Key, type ReactNode } from 'react';

function useListPrefix(): string {
  return useContext(ConfigProvider.ConfigContext).getPrefixCls('list');
}

export function PlainList<T>({ items, size, itemKey, renderItem }: { items: readonly T[]; size?: 'small'; itemKey: (item: T) => Key; renderItem: (item: T) => ReactNode }) {
  const prefix = useListPrefix();
  const [wrapCSSVar, hashId, cssVarCls] = useListStyle(prefix);
  const className = [prefix, size === 'small' ? `${prefix}-sm` : null, `${prefix}-split`, hashId, cssVarCls].filter(Boolean).join(' ');
  return wrapCSSVar(
    <div className={className}>
      <Spin spinning={false}>
        <ul className={`${prefix}-items`}>
          {items.map((item) => (
            <Fragment key={itemKey(item)}>{renderItem(item)}</Fragment>
          ))}
        </ul>
      </Spin>
    </div>,
  );
}

/** One row (List.Item's `<li>`): its children spread to both ends, as List.Item lays out two or more elements. */
export function PlainListItem({ className, children, ...rest }: HTMLAttributes<HTMLLIElement> & { 'data-testid'?: string }) {
  const prefix = useListPrefix();
  return (
    <li {...rest} className={className ? `${prefix}-item ${className}` : `${prefix}-item`}>
      {children}
    </li>
  );
}
