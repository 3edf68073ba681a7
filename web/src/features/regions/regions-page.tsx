import { useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Card, Col, Descriptions, Empty, Input, Row, Skeleton, Statistic, Tag, Tree, Typography, type TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import type { RegionNode } from '../../../../domain/api.js';
import { ancestorCodes, isWithinRegion } from '../../../../domain/regions.js';
import { fetchRegionChildren, useRegionChildren, useRegionDetail, useRegionSearch } from '../../shared/api/regions.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { regionPathLabel } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { useDebouncedValue } from '../../shared/use-debounced-value.js';
import { useT } from './strings.js';
import { levelLabel } from '../../shared/i18n/labels.js';

function RegionDetailPanel({ code }: { code: string | undefined }) {
  const t = useT();
  const detail = useRegionDetail(code);
  if (code === undefined) return <Empty description={t('regions.selectHint')} />;
  if (detail.isPending) return <Skeleton active />;
  if (detail.isError) return <Empty description={detail.error.message} />;
  const region = detail.data;
  const counts: { label: string; value: number }[] = [
    { label: t('home.stat.counties'), value: region.counts.counties },
    { label: t('home.stat.townships'), value: region.counts.townships },
    { label: t('home.stat.villages'), value: region.counts.villages },
    { label: t('home.stat.supervisors'), value: region.counts.supervisors },
    { label: t('home.stat.directors'), value: region.counts.directors },
  ];
  return (
    <div data-testid="region-detail">
      <Typography.Title level={5} className="region-detail-title">
        {region.name}
      </Typography.Title>
      <Descriptions size="small" column={1} bordered className="region-descriptions">
        <Descriptions.Item label={t('common.code')}>
          <Typography.Text copyable>{region.code}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.level')}>{levelLabel(t, region.level)}</Descriptions.Item>
        <Descriptions.Item label={t('common.path')}>{regionPathLabel(region.path)}</Descriptions.Item>
        <Descriptions.Item label={t('regions.childCount')}>{region.childCount}</Descriptions.Item>
        <Descriptions.Item label={t('regions.validFrom')}>{region.validFrom}</Descriptions.Item>
        <Descriptions.Item label={t('regions.validTo')}>{region.validTo ?? <Tag color="green">{t('regions.stillValid')}</Tag>}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} className="region-counts-title">
        {t('regions.counts')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {counts.map((count) => (
          <Col xs={12} sm={8} key={count.label}>
            <Statistic title={count.label} value={count.value} />
          </Col>
        ))}
      </Row>
    </div>
  );
}

export function RegionsPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const root = useRegionChildren();
  const [loaded, setLoaded] = useState<Record<string, RegionNode[]>>({});
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search);
  const results = useRegionSearch(term);

  const scopeRoot = root.data?.parent ?? null;
  const rootChildren = root.data?.items;

  const treeData = useMemo((): TreeDataNode[] => {
    const build = (node: RegionNode, children: RegionNode[] | undefined): TreeDataNode => ({
      key: node.code,
      title: (
        <span>
          {node.name} <Typography.Text type="secondary">{levelLabel(t, node.level)}</Typography.Text>
        </span>
      ),
      isLeaf: node.childCount === 0,
      children: children?.map((child) => build(child, loaded[child.code])),
    });
    if (scopeRoot) return [build(scopeRoot, rootChildren)];
    return (rootChildren ?? []).map((node) => build(node, loaded[node.code]));
  }, [scopeRoot, rootChildren, loaded, t]);

  const ensureChildren = async (code: string) => {
    if (loaded[code] || code === scopeRoot?.code) return;
    const children = await fetchRegionChildren(queryClient, code);
    setLoaded((previous) => ({ ...previous, [code]: children.items }));
  };

  // GET /api/regions without a parent answers either {parent: scope root, items: its children}
  // or {parent: null, items: [scope root]}: the top of the tree is whichever it is.
  const topNodes = scopeRoot ? [scopeRoot] : (rootChildren ?? []);
  const defaultExpanded = topNodes.map((node) => node.code);
  // Until the user picks one, the detail panel shows the scope root.
  const shown = selected ?? (topNodes.length === 1 ? topNodes[0]?.code : undefined);

  /** Opens the tree down to `code` (loading each level on the way) and selects it. */
  const jumpTo = async (code: string) => {
    const ancestors = ancestorCodes(code)
      .slice(0, -1)
      .filter((ancestor) => topNodes.some((top) => isWithinRegion(ancestor, top.code)));
    try {
      for (const ancestor of ancestors) await ensureChildren(ancestor);
    } catch (error) {
      showError(error);
      return;
    }
    setExpanded((previous) => Array.from(new Set([...(previous ?? defaultExpanded), ...ancestors])));
    setSelected(code);
    setSearch('');
    window.setTimeout(() => document.querySelector('.region-tree .ant-tree-node-selected')?.scrollIntoView({ block: 'center' }), 100);
  };

  const options = (results.data?.items ?? []).map((item) => ({
    value: item.code,
    label: (
      <div className="region-search-option">
        <span>{item.name}</span>
        <Typography.Text type="secondary" className="region-search-path">
          {levelLabel(t, item.level)} · {regionPathLabel(item.path)}
        </Typography.Text>
      </div>
    ),
  }));

  return (
    <div>
      <PageHeader title={t('regions.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('regions.tree')}>
            <AutoComplete
              className="region-search"
              value={search}
              options={options}
              onSearch={setSearch}
              onSelect={(code: string) => void jumpTo(code)}
              notFoundContent={term.trim() && !results.isFetching ? t('regions.noMatch') : undefined}
            >
              <Input.Search placeholder={t('regions.searchPlaceholder')} allowClear loading={results.isFetching} data-testid="region-search" />
            </AutoComplete>
            {root.isPending ? (
              <Skeleton active />
            ) : root.isError ? (
              <Empty description={root.error.message} />
            ) : (
              <Tree
                className="region-tree"
                treeData={treeData}
                expandedKeys={expanded ?? defaultExpanded}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={shown ? [shown] : []}
                onSelect={(keys) => setSelected(keys[0] === undefined ? undefined : String(keys[0]))}
                loadData={(node) => ensureChildren(String(node.key))}
                height={560}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('regions.detail')}>
            <RegionDetailPanel code={shown} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
