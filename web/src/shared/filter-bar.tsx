/**
 * The filters of a list, kept in the URL (a link or a reload shows the same
 * view): a search box, selects, any control of the page's own, and a reset
 * that clears them. A change goes back to page one. The page reads the
 * values it trusts from the URL itself (useListParams) and asks the server.
 */
import { Button, Input, Select } from 'antd';
import { Fragment, useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { useT } from './i18n/index.js';
import { positiveIntParam, useUrlParams } from './url-params.js';

/** The URL, the page and page size of a list, and the way to change them. */
export function useListParams(defaultPageSize = 20) {
  const [params, update] = useUrlParams();
  return {
    params,
    update,
    page: positiveIntParam(params.get('page'), 1),
    pageSize: positiveIntParam(params.get('pageSize'), defaultPageSize, 200),
    /** Writes a filter and goes back to the first page. */
    filter: (changes: Record<string, string | undefined>) => update({ ...changes, page: undefined }),
    onPage: (page: string, pageSize: string) => update({ page, pageSize }),
  };
}

export interface SearchFilter {
  kind: 'search';
  /** The URL parameter, `q` unless said. */
  param?: string;
  placeholder: string;
  className?: string;
  testId?: string;
}

export interface SelectFilter {
  kind: 'select';
  param: string;
  options: readonly { value: string; label: ReactNode }[];
  /** Shown while nothing is chosen; the select offers a clear button. */
  placeholder?: string;
  /** Instead of a placeholder: the word for "no filter", the first option. */
  all?: string;
  /** The value while the parameter is absent (a sort order): never written to the URL, never reset. */
  fallback?: string;
  /** Other parameters a change empties (a state that belongs to the kind chosen before). */
  clears?: readonly string[];
  className?: string;
  style?: CSSProperties;
  testId?: string;
}

/** A control of the page's own (a region picker, an age range, a switch) and the parameters it writes, for the reset. */
export interface CustomFilter {
  kind: 'custom';
  params: readonly string[];
  node: ReactNode;
}

export type Filter = SearchFilter | SelectFilter | CustomFilter;

/** The parameters a filter writes that the reset clears (not a sort's). */
function resettableParams(filter: Filter): readonly string[] {
  if (filter.kind === 'search') return [filter.param ?? 'q'];
  if (filter.kind === 'custom') return filter.params;
  return filter.fallback === undefined ? [filter.param] : [];
}

function SearchBox({ filter, value, onSearch }: { filter: SearchFilter; value: string | undefined; onSearch: (value: string | undefined) => void }) {
  const [text, setText] = useState(value ?? '');
  // Back/forward changes the URL: the box follows it.
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <Input.Search
      className={filter.className ?? 'filter-search'}
      placeholder={filter.placeholder}
      allowClear
      value={text}
      onChange={(event) => setText(event.target.value)}
      onSearch={(typed) => onSearch(typed.trim() || undefined)}
      data-testid={filter.testId}
    />
  );
}

function SelectBox({ filter, value, onChange }: { filter: SelectFilter; value: string | undefined; onChange: (value: string | undefined) => void }) {
  const known = value !== undefined && filter.options.some((o) => o.value === value);
  if (filter.all !== undefined || filter.fallback !== undefined) {
    const options = filter.all !== undefined ? [{ value: '', label: filter.all }, ...filter.options] : filter.options;
    const empty = filter.fallback ?? '';
    return (
      <Select<string>
        className={filter.className}
        style={filter.style}
        value={known ? value : empty}
        onChange={(next) => onChange(next === empty ? undefined : next)}
        options={options.map((o) => ({ ...o }))}
        data-testid={filter.testId}
      />
    );
  }
  return (
    <Select<string>
      className={filter.className ?? 'filter-select'}
      style={filter.style}
      allowClear
      placeholder={filter.placeholder}
      value={known ? value : undefined}
      onChange={(next) => onChange(next)}
      options={filter.options.map((o) => ({ ...o }))}
      data-testid={filter.testId}
    />
  );
}

export interface FilterBarProps {
  filters: readonly Filter[];
  className?: string;
}

export function FilterBar({ filters, className }: FilterBarProps) {
  const t = useT();
  const [params, update] = useUrlParams();
  const set = (param: string, value: string | undefined, clears: readonly string[] = []) =>
    update({ ...Object.fromEntries(clears.map((other) => [other, undefined])), [param]: value, page: undefined });
  const resettable = filters.flatMap(resettableParams);
  const active = resettable.some((param) => params.has(param));
  return (
    <div className={className ?? 'filter-bar'}>
      {filters.map((filter) => {
        if (filter.kind === 'custom') return <Fragment key={filter.params.join()}>{filter.node}</Fragment>;
        if (filter.kind === 'select') return <SelectBox key={filter.param} filter={filter} value={params.get(filter.param) ?? undefined} onChange={(value) => set(filter.param, value, filter.clears)} />;
        const param = filter.param ?? 'q';
        return <SearchBox key={param} filter={filter} value={params.get(param) ?? undefined} onSearch={(value) => set(param, value)} />;
      })}
      {active ? (
        <Button onClick={() => update(Object.fromEntries([...resettable, 'page'].map((param) => [param, undefined])))} data-testid="filters-reset">
          {t('common.reset')}
        </Button>
      ) : null}
    </div>
  );
}
