/**
 * 工作清单: who to visit. A director sees his village's lists as cards made
 * for a phone, each with a one-tap "record visit"; a supervisor also sees his
 * villages with each director's on-time rate; a county or city office sees its
 * townships (counties) worst first. Clicking a region narrows the lists to it.
 */
import { RightOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Empty, Grid, List, Pagination, Progress, Skeleton, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router';
import type { RegionRef } from '../../../../domain/api.js';
import { isRegionCode, isWithinRegion, parentRegionCode, regionLevel } from '../../../../domain/regions.js';
import { WORKLIST_KINDS, type WorklistKind, type WorklistRegionCounts, type WorklistRow } from '../../../../domain/visits/schema.js';
import { useSession } from '../../shared/api/session.js';
import { useWorklist, useWorklistCounts } from './api.js';
import { RiskTag } from '../children/public.js';
import { DueText } from '../visits/public.js';
import { LateReportsCard } from '../reports/public.js';
import { TransferRequestsCard } from '../transfer-requests/public.js';
import { PageHeader } from '../../shared/page-header.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { missingFactLabel } from '../../shared/i18n/child-labels.js';
import { useT, type MessageKey, type Translate } from './strings.js';
import { hasPermission } from '../../shared/feature.js';

const TAB_LABEL: Record<WorklistKind, MessageKey> = {
  due_this_week: 'worklist.tab.due_this_week',
  overdue: 'worklist.tab.overdue',
  never_visited: 'worklist.tab.never_visited',
  unseen: 'worklist.tab.unseen',
  aging_out: 'worklist.tab.aging_out',
  campaign: 'worklist.tab.campaign',
  letters_missing: 'worklist.tab.letters_missing',
  facts_missing: 'worklist.tab.facts_missing',
};
const EMPTY: Record<WorklistKind, MessageKey> = {
  due_this_week: 'worklist.empty.due_this_week',
  overdue: 'worklist.empty.overdue',
  never_visited: 'worklist.empty.never_visited',
  unseen: 'worklist.empty.unseen',
  aging_out: 'worklist.empty.aging_out',
  campaign: 'worklist.empty.campaign',
  letters_missing: 'worklist.empty.letters_missing',
  facts_missing: 'worklist.empty.facts_missing',
};
const HINT: Record<WorklistKind, MessageKey> = {
  due_this_week: 'worklist.hint.due_this_week',
  overdue: 'worklist.hint.overdue',
  never_visited: 'worklist.hint.never_visited',
  unseen: 'worklist.hint.unseen',
  aging_out: 'worklist.hint.aging_out',
  campaign: 'worklist.hint.campaign',
  letters_missing: 'worklist.hint.letters_missing',
  facts_missing: 'worklist.hint.facts_missing',
};
const REGIONS_TITLE: Record<RegionRef['level'], MessageKey> = {
  province: 'worklist.regions.title.city',
  city: 'worklist.regions.title.city',
  county: 'worklist.regions.title.county',
  township: 'worklist.regions.title.township',
  village: 'worklist.regions.title.village',
};

/** Where "record visit" goes: the visit form, completing the campaign task when the row is one. */
export function recordVisitPath(row: Pick<WorklistRow, 'childId' | 'campaignTaskId'>): string {
  const base = `/children/${row.childId}/visits/new`;
  return row.campaignTaskId ? `${base}?task=${encodeURIComponent(row.campaignTaskId)}` : base;
}

const RATE_COLOURS = { good: '#389e0d', fair: '#d46b08', poor: '#cf1322' };
export function rateColour(rate: number): string {
  return rate >= 0.9 ? RATE_COLOURS.good : rate >= 0.7 ? RATE_COLOURS.fair : RATE_COLOURS.poor;
}

export function OnTimeRate({ rate, visits }: { rate: number | null; visits: number | null }) {
  const t = useT();
  if (rate === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = (
    <span className="worklist-rate" style={{ color: rateColour(rate) }} data-testid="worklist-rate">
      {Math.round(rate * 100)}%
    </span>
  );
  return visits === null ? text : <Tooltip title={t('worklist.rateVisits', { visits })}>{text}</Tooltip>;
}

/** Share of the active children whose guardianship letters are all signed; 1 with none active. */
function lettersCoverage(row: WorklistRegionCounts): number {
  return row.active === 0 ? 1 : (row.active - row.lettersMissing) / row.active;
}

/** Overdue share of the active children, as a colour from green to red. */
function overdueColour(overdue: number, active: number): string {
  if (overdue === 0) return '#52c41a';
  const share = active === 0 ? 1 : overdue / active;
  return share >= 0.3 ? '#cf1322' : share >= 0.15 ? '#fa541c' : '#faad14';
}

/** What a 缺少关键信息 row misses, in words: 缺少：父亲外出日期、母亲外出日期. */
function MissingFactsText({ row }: { row: WorklistRow }) {
  const t = useT();
  return (
    <Typography.Text type="danger" data-testid="worklist-missing-facts">
      {t('worklist.missingFacts', { facts: row.missingFacts.map((fact) => missingFactLabel(t, fact)).join('、') })}
    </Typography.Text>
  );
}

/** The row's button on the 缺少关键信息 list: the form to fill the fact in, or the file for who may not edit it. */
function FactsButton({ row, size }: { row: WorklistRow; size: 'large' | 'small' }) {
  const t = useT();
  const me = useSession();
  const navigate = useNavigate();
  const edit = hasPermission(me, 'child.update');
  return (
    <Button
      type="primary"
      size={size}
      className={size === 'large' ? 'worklist-record' : undefined}
      data-testid="worklist-facts"
      onClick={() => void navigate(edit ? `/children/${row.childId}/edit` : `/children/${row.childId}?tab=categories`)}
    >
      {t(edit ? 'worklist.fillFacts' : 'worklist.openFile')}
    </Button>
  );
}

/** A phone-sized row: who, where, how late; the child page on a tap, the visit form on the button. */
function WorklistCard({ row, kind }: { row: WorklistRow; kind: WorklistKind }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <div className="worklist-card" data-testid="worklist-row">
      <Link to={`/children/${row.childId}`} className="worklist-card-main" data-testid="worklist-child-link">
        <div className="worklist-card-title">
          <Typography.Text strong className="worklist-card-name">
            {row.name}
          </Typography.Text>
          {row.riskLevel !== 'low' ? <RiskTag risk={row.riskLevel} withLabel /> : null}
        </div>
        <Typography.Text type="secondary" className="worklist-card-meta">
          {row.region.name} · {row.lastVisitDate ? t('worklist.lastVisit', { date: row.lastVisitDate }) : t('worklist.neverVisited')}
        </Typography.Text>
        <div className="worklist-card-due">
          {kind === 'letters_missing' ? (
            <Typography.Text type="danger" data-testid="worklist-letters-due">
              {t('worklist.lettersDue', { count: row.lettersDue })}
            </Typography.Text>
          ) : kind === 'facts_missing' ? (
            <MissingFactsText row={row} />
          ) : kind === 'aging_out' ? (
            <Typography.Text style={{ color: '#d46b08' }}>{t('worklist.agingOutOn', { date: row.agingOutDate })}</Typography.Text>
          ) : kind === 'campaign' && row.campaignName ? (
            <Typography.Text>{row.campaignName}</Typography.Text>
          ) : (
            <DueText nextDue={row.nextDue} />
          )}
          {kind === 'aging_out' || kind === 'campaign' || kind === 'letters_missing' || kind === 'facts_missing' ? (
            <>
              {' · '}
              <DueText nextDue={row.nextDue} />
            </>
          ) : null}
          <RightOutlined className="worklist-card-arrow" />
        </div>
      </Link>
      {kind === 'letters_missing' ? (
        <Button type="primary" size="large" className="worklist-record" data-testid="worklist-letters" onClick={() => void navigate(`/children/${row.childId}#letters`)}>
          {t('worklist.openLetters')}
        </Button>
      ) : kind === 'facts_missing' ? (
        <FactsButton row={row} size="large" />
      ) : (
        <Button type="primary" size="large" className="worklist-record" data-testid="worklist-record" onClick={() => void navigate(recordVisitPath(row))}>
          {t('worklist.recordVisit')}
        </Button>
      )}
    </div>
  );
}

function listColumns(t: Translate, kind: WorklistKind, navigate: ReturnType<typeof useNavigate>): TableColumnsType<WorklistRow> {
  const columns: TableColumnsType<WorklistRow> = [
    {
      title: t('worklist.col.name'),
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, row) => (
        <Link to={`/children/${row.childId}`} data-testid="worklist-child-link">
          {name}
        </Link>
      ),
    },
    { title: t('worklist.col.village'), key: 'village', render: (_: unknown, row) => row.region.name },
    { title: t('worklist.col.risk'), dataIndex: 'riskLevel', render: (_: unknown, row) => <RiskTag risk={row.riskLevel} /> },
    { title: t('worklist.col.lastVisit'), dataIndex: 'lastVisitDate', render: (date: string | null) => date ?? <Typography.Text type="secondary">{t('worklist.neverVisited')}</Typography.Text> },
    { title: t('worklist.col.nextDue'), dataIndex: 'nextDue' },
    { title: t('worklist.col.state'), key: 'state', render: (_: unknown, row) => <DueText nextDue={row.nextDue} /> },
  ];
  if (kind === 'aging_out') columns.push({ title: t('worklist.col.agingOut'), dataIndex: 'agingOutDate' });
  if (kind === 'campaign') columns.push({ title: t('worklist.col.campaign'), dataIndex: 'campaignName' });
  if (kind === 'letters_missing') {
    columns.splice(1, 0, {
      title: t('worklist.col.letters'),
      dataIndex: 'lettersDue',
      render: (count: number) => (
        <Typography.Text type="danger" data-testid="worklist-letters-due">
          {t('worklist.lettersDue', { count })}
        </Typography.Text>
      ),
    });
  }
  if (kind === 'facts_missing') {
    columns.splice(1, 0, { title: t('worklist.col.missingFacts'), key: 'missingFacts', render: (_: unknown, row) => <MissingFactsText row={row} /> });
  }
  columns.push({
    title: t('common.actions'),
    key: 'actions',
    render: (_: unknown, row) =>
      kind === 'facts_missing' ? (
        <FactsButton row={row} size="small" />
      ) : kind === 'letters_missing' ? (
        <Button type="primary" size="small" data-testid="worklist-letters" onClick={() => void navigate(`/children/${row.childId}#letters`)}>
          {t('worklist.openLetters')}
        </Button>
      ) : (
        <Button type="primary" size="small" data-testid="worklist-record" onClick={() => void navigate(recordVisitPath(row))}>
          {t('worklist.recordVisit')}
        </Button>
      ),
  });
  return columns;
}

/** One region per row: the counts, the overdue share as a bar, the on-time rate (and each director's, for villages). */
function RegionTable({
  rows,
  level,
  selected,
  loading,
  onSelect,
}: {
  rows: WorklistRegionCounts[];
  level: RegionRef['level'];
  selected: string | undefined;
  loading: boolean;
  onSelect: (code: string) => void;
}) {
  const t = useT();
  const villages = rows.some((r) => r.region.level === 'village');
  const maxOverdue = Math.max(1, ...rows.map((r) => r.overdue));
  const columns: TableColumnsType<WorklistRegionCounts> = [
    {
      title: t('worklist.regions.col.region'),
      key: 'region',
      fixed: 'left',
      render: (_: unknown, row) => <Typography.Link data-testid="worklist-region-link">{row.region.name}</Typography.Link>,
    },
    {
      title: t('worklist.regions.col.overdue'),
      dataIndex: 'overdue',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.overdue - b.overdue,
      render: (overdue: number, row) => (
        <div className="worklist-overdue-cell" data-testid="worklist-region-overdue">
          <span className="worklist-overdue-number" style={{ color: overdue > 0 ? overdueColour(overdue, row.active) : undefined }}>
            {overdue}
          </span>
          <Progress percent={(overdue / maxOverdue) * 100} showInfo={false} size="small" strokeColor={overdueColour(overdue, row.active)} className="worklist-overdue-bar" />
        </div>
      ),
    },
    { title: t('worklist.regions.col.active'), dataIndex: 'active', align: 'right', sorter: (a, b) => a.active - b.active },
    { title: t('worklist.regions.col.dueThisWeek'), dataIndex: 'dueThisWeek', align: 'right', sorter: (a, b) => a.dueThisWeek - b.dueThisWeek },
    { title: t('worklist.regions.col.neverVisited'), dataIndex: 'neverVisited', align: 'right', sorter: (a, b) => a.neverVisited - b.neverVisited },
    {
      title: <Tooltip title={t('worklist.regions.lettersHelp')}>{t('worklist.regions.col.letters')}</Tooltip>,
      key: 'letters',
      align: 'right',
      sorter: (a, b) => lettersCoverage(a) - lettersCoverage(b),
      render: (_: unknown, row) =>
        row.active === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Tooltip title={t('worklist.regions.lettersMissing', { missing: row.lettersMissing, active: row.active })}>
            <span className="worklist-rate" style={{ color: rateColour(lettersCoverage(row)) }} data-testid="worklist-letters-rate">
              {Math.floor(lettersCoverage(row) * 100)}%
            </span>
          </Tooltip>
        ),
    },
  ];
  // A city's counties carry no rates (the server does not count them there).
  if (rows.some((r) => r.visits !== null)) {
    columns.push({
      title: <Tooltip title={t('worklist.regions.rateHelp')}>{t('worklist.regions.col.onTimeRate')}</Tooltip>,
      dataIndex: 'onTimeRate',
      align: 'right',
      sorter: (a, b) => (a.onTimeRate ?? 2) - (b.onTimeRate ?? 2),
      render: (rate: number | null, row) => <OnTimeRate rate={rate} visits={row.visits} />,
    });
  }
  if (villages) {
    columns.push({
      title: t('worklist.regions.col.directors'),
      key: 'directors',
      render: (_: unknown, row) =>
        row.directors.length === 0 ? (
          <Typography.Text type="secondary">{t('worklist.regions.noDirector')}</Typography.Text>
        ) : (
          row.directors.map((d) => (
            <div key={d.id} className="worklist-director" data-testid="worklist-director">
              {d.name} <OnTimeRate rate={d.onTimeRate} visits={d.visits} />
            </div>
          ))
        ),
    });
  }
  return (
    <Card size="small" className="worklist-regions" title={t(REGIONS_TITLE[level])}>
      <Typography.Paragraph type="secondary" className="worklist-regions-hint">
        {t('worklist.regions.hint')}
      </Typography.Paragraph>
      <Table<WorklistRegionCounts>
        data-testid="worklist-regions"
        rowKey={(row) => row.region.code}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.regions.empty')} /> }}
        rowClassName={(row) => (row.region.code === selected ? 'clickable-row worklist-region-selected' : 'clickable-row')}
        onRow={(row) => ({ onClick: () => onSelect(row.region.code) })}
      />
    </Card>
  );
}

export function WorklistPage() {
  const t = useT();
  const me = useSession();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md !== true;
  const [params, update] = useUrlParams();
  const scope = me.scope.region;
  const regionParam = params.get('region');
  const region = regionParam && isRegionCode(regionParam) && isWithinRegion(regionParam, scope.code) && regionParam !== scope.code ? regionParam : undefined;
  const tabParam = params.get('tab');
  const kind: WorklistKind = tabParam !== null && (WORKLIST_KINDS as readonly string[]).includes(tabParam) ? (tabParam as WorklistKind) : 'overdue';
  const page = positiveIntParam(params.get('page'), 1);
  const pageSize = positiveIntParam(params.get('pageSize'), 20, 200);

  // The region table stays on the township while one of its villages is picked, so the others are a click away.
  const hasRegionTable = scope.level !== 'village';
  const tableParent = region && regionLevel(region) === 'village' ? (parentRegionCode(region) ?? undefined) : region;
  const tableRegion = tableParent === scope.code ? undefined : tableParent;
  const counts = useWorklistCounts(region);
  const tableCounts = useWorklistCounts(tableRegion, { enabled: hasRegionTable });
  // A whole city's names are not a work list: its office picks a county first (and the server is spared a city-wide sort).
  const listLevel = region ? regionLevel(region) : scope.level;
  const needsRegion = listLevel === 'city' || listLevel === 'province';
  const list = useWorklist({ kind, region, page, pageSize }, { enabled: !needsRegion });

  const narrowTo = (code: string | undefined) => update({ region: code === scope.code ? undefined : code, page: undefined });
  const path = (counts.data?.path ?? []).filter((p) => isWithinRegion(p.code, scope.code));
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const empty = <Empty data-testid="worklist-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(EMPTY[kind])} />;

  const listBody = needsRegion ? (
    <Empty data-testid="worklist-pick-region" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.pickRegion')} />
  ) : list.isError ? (
    <Empty description={list.error.message} />
  ) : list.isPending ? (
    <Skeleton active paragraph={{ rows: 4 }} />
  ) : isMobile ? (
    <>
      <List<WorklistRow>
        data-testid="worklist-list"
        loading={list.isFetching && list.isPlaceholderData}
        dataSource={items}
        locale={{ emptyText: empty }}
        renderItem={(row) => (
          <List.Item key={`${row.childId}-${row.campaignTaskId ?? ''}`} className="worklist-item">
            <WorklistCard row={row} kind={kind} />
          </List.Item>
        )}
      />
      {total > pageSize ? (
        <Pagination
          className="worklist-pagination"
          size="small"
          simple
          current={page}
          pageSize={pageSize}
          total={total}
          onChange={(next) => update({ page: String(next) })}
        />
      ) : null}
    </>
  ) : (
    <Table<WorklistRow>
      data-testid="worklist-table"
      rowKey={(row) => `${row.childId}-${row.campaignTaskId ?? ''}`}
      size="small"
      loading={list.isFetching}
      columns={listColumns(t, kind, navigate)}
      dataSource={items}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: empty }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (n) => t('common.total', { total: n }),
        onChange: (nextPage, nextSize) => update({ page: String(nextPage), pageSize: String(nextSize) }),
      }}
    />
  );

  return (
    <div className="worklist-page">
      <PageHeader title={t('worklist.title')}>
        {path.length > 1 ? (
          <Breadcrumb
            className="worklist-breadcrumb"
            data-testid="worklist-breadcrumb"
            items={path.map((p, index) => ({
              key: p.code,
              title: index === path.length - 1 ? p.name : <Typography.Link onClick={() => narrowTo(p.code)}>{p.name}</Typography.Link>,
            }))}
          />
        ) : null}
      </PageHeader>

      {hasPermission(me, 'report.read') ? <LateReportsCard region={region} /> : null}
      <TransferRequestsCard />

      {hasRegionTable && tableCounts.data ? (
        <RegionTable
          rows={tableCounts.data.regions}
          level={tableCounts.data.region.level}
          selected={region}
          loading={tableCounts.isFetching}
          onSelect={(code) => narrowTo(code === region ? tableParent : code)}
        />
      ) : hasRegionTable && tableCounts.isPending ? (
        <Card size="small" className="worklist-regions">
          <Skeleton active paragraph={{ rows: 3 }} />
        </Card>
      ) : null}

      <Card size="small" className="worklist-lists">
        {/* Every list with its count at once, also on a 360 px phone: tiles rather than tabs that scroll out of sight. */}
        <div className="worklist-kinds" role="tablist" data-testid="worklist-tabs">
          {WORKLIST_KINDS.map((k) => {
            const n = counts.data?.counts[k];
            const colour = n === undefined || n === 0 ? undefined : k === 'overdue' ? '#cf1322' : '#d46b08';
            return (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={k === kind}
                className={k === kind ? 'worklist-kind worklist-kind-active' : 'worklist-kind'}
                data-testid={`worklist-tab-${k}`}
                onClick={() => update({ tab: k === 'overdue' ? undefined : k, page: undefined })}
              >
                <span className="worklist-kind-count" style={colour ? { color: colour } : undefined} data-testid={`worklist-count-${k}`}>
                  {n ?? '–'}
                </span>
                <span className="worklist-kind-label">{t(TAB_LABEL[k])}</span>
              </button>
            );
          })}
        </div>
        <Typography.Paragraph type="secondary" className="worklist-hint">
          {t(HINT[kind])}
        </Typography.Paragraph>
        {listBody}
      </Card>
    </div>
  );
}
