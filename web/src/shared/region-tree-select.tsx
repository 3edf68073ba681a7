import { useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import type { RegionNode } from '../../../domain/api.js';
import type { RegionLevel } from '../../../domain/regions.js';
import { fetchRegionChildren, useRegionChildren, useRegionDetail, useRegionSearch } from './api/regions.js';
import { useT } from './i18n/index.js';
import { levelLabel } from './i18n/labels.js';
import { regionPathLabel } from './format.js';
import { useDebouncedValue } from './use-debounced-value.js';

interface RegionTreeSelectProps {
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** When set, only regions of this level can be chosen and the tree stops there. */
  level?: RegionLevel;
  placeholder?: string;
  allowClear?: boolean;
  className?: string;
  id?: string;
}

interface TreeRow {
  id: string;
  pId?: string;
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
}

/**
 * Picks a region inside the actor's scope: a tree whose children load on
 * expansion (/api/regions?parent=), or — while typing — the server's search.
 */
export function RegionTreeSelect({ value, onChange, level, placeholder, allowClear = true, className, id }: RegionTreeSelectProps) {
  const t = useT();
  const queryClient = useQueryClient();
  const root = useRegionChildren();
  const [loaded, setLoaded] = useState<Record<string, RegionNode[]>>({});
  const [search, setSearch] = useState('');
  // Names of regions picked from search results, which disappear when the search is cleared.
  const [picked, setPicked] = useState<Record<string, string>>({});
  const term = useDebouncedValue(search);
  const results = useRegionSearch(term);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    if (root.data?.parent) map.set(root.data.parent.code, root.data.parent.name);
    for (const node of root.data?.items ?? []) map.set(node.code, node.name);
    for (const items of Object.values(loaded)) for (const node of items) map.set(node.code, node.name);
    for (const item of results.data?.items ?? []) map.set(item.code, item.name);
    for (const [code, name] of Object.entries(picked)) map.set(code, name);
    return map;
  }, [root.data, loaded, results.data, picked]);

  // A value arriving from the URL may not be in the loaded part of the tree yet.
  const detail = useRegionDetail(value !== undefined && !names.has(value) ? value : undefined);

  const treeData: TreeRow[] = useMemo(() => {
    if (term.trim()) {
      return (results.data?.items ?? []).map((item) => ({
        id: `search-${item.code}`,
        value: item.code,
        title: regionPathLabel(item.path),
        isLeaf: true,
        selectable: level === undefined || item.level === level,
      }));
    }
    const toRow = (node: RegionNode, pId: string | undefined): TreeRow => ({
      id: node.code,
      pId,
      value: node.code,
      title: level && node.level !== level ? `${node.name} · ${levelLabel(t, node.level)}` : node.name,
      isLeaf: node.childCount === 0 || node.level === level,
      selectable: level === undefined || node.level === level,
    });
    const rows: TreeRow[] = [];
    const scopeRoot = root.data?.parent;
    if (scopeRoot) rows.push(toRow(scopeRoot, undefined));
    for (const node of root.data?.items ?? []) rows.push(toRow(node, scopeRoot?.code));
    for (const [parent, items] of Object.entries(loaded)) for (const node of items) rows.push(toRow(node, parent));
    return rows;
  }, [term, results.data, root.data, loaded, level, t]);

  const loadChildren = async (code: string) => {
    if (loaded[code] || code === root.data?.parent?.code) return;
    const children = await fetchRegionChildren(queryClient, code);
    setLoaded((previous) => ({ ...previous, [code]: children.items }));
  };

  const label = value === undefined ? undefined : (names.get(value) ?? detail.data?.name ?? value);

  return (
    <TreeSelect<{ value: string; label: string } | undefined>
      id={id}
      className={className}
      treeDataSimpleMode
      treeData={treeData}
      labelInValue
      value={value === undefined ? undefined : { value, label: label ?? value }}
      onChange={(next) => {
        const name = next ? names.get(next.value) : undefined;
        if (next && name !== undefined) setPicked((previous) => ({ ...previous, [next.value]: name }));
        setSearch('');
        onChange?.(next?.value);
      }}
      loadData={(node) => loadChildren(String(node.value))}
      treeDefaultExpandedKeys={root.data?.parent ? [root.data.parent.code] : (root.data?.items ?? []).map((node) => node.code)}
      showSearch
      searchValue={search}
      onSearch={setSearch}
      filterTreeNode={false}
      loading={root.isPending || results.isFetching}
      allowClear={allowClear}
      placeholder={placeholder ?? (level ? t('users.form.regionHelp', { level: levelLabel(t, level) }) : t('common.region'))}
      popupMatchSelectWidth={false}
      style={{ minWidth: 200 }}
    />
  );
}
