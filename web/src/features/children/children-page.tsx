import { DownloadOutlined, PlusOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, InputNumber, Space, Tag, Typography } from 'antd';
import { useState, type Key } from 'react';
import { Link, useNavigate } from 'react-router';
import { CATEGORIES, CHILD_STATUSES, RISK_LEVELS, SCHOOL_STATUSES, type ChildSummary } from '../../../../domain/children/schema.js';
import { isRegionCode } from '../../../../domain/regions.js';
import { ChildrenExportModal } from '../children-import/public.js';
import { useChildren, type ChildListFilters, type ChildSortKey } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { CategoryTags, ChildStatusTag, RiskTag } from './child-tags.js';
import { VisitStateTag } from '../visits/public.js';
import { PageHeader } from '../../shared/page-header.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { FilterBar, type SelectFilter } from '../../shared/filter-bar.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { hasPermission } from '../../shared/feature.js';
import { chinaToday } from '../../../../domain/china-time.js';

const SORTS: readonly ChildSortKey[] = ['name', '-name', 'birthDate', '-birthDate', 'updatedAt', '-updatedAt'];
const AGING_OUT_DAYS = 30;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

function ageParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 18 ? n : undefined;
}

const LETTER_FILTERS = ['missing', 'signed'] as const;

/** The list's filters as kept in the URL; anything malformed is ignored. */
function filtersFromParams(params: URLSearchParams): ChildListFilters {
  const region = params.get('region');
  return {
    q: params.get('q') ?? undefined,
    region: region && isRegionCode(region) ? region : undefined,
    category: oneOf(CATEGORIES, params.get('category')),
    risk: oneOf(RISK_LEVELS, params.get('risk')),
    status: oneOf(CHILD_STATUSES, params.get('status')),
    school: oneOf(SCHOOL_STATUSES, params.get('school')),
    ageMin: ageParam(params.get('ageMin')),
    ageMax: ageParam(params.get('ageMax')),
    agingOutWithinDays: params.get('agingOut') === '1' ? AGING_OUT_DAYS : undefined,
    letters: oneOf(LETTER_FILTERS, params.get('letters')),
    sort: oneOf(SORTS, params.get('sort')) ?? '-updatedAt',
    page: positiveIntParam(params.get('page'), 1),
    pageSize: positiveIntParam(params.get('pageSize'), 20, 200),
  };
}

/** Ages (today) sort the opposite way from birth dates. */
/** One of the list's narrow selects, its parameter the filter's name. */
function narrowSelect(param: string, placeholder: string, options: SelectFilter['options'], testId?: string): SelectFilter {
  return { kind: 'select', param, placeholder, options, className: 'filter-select-narrow', testId };
}

function sortOrder(sort: ChildSortKey, column: 'name' | 'age'): 'ascend' | 'descend' | null {
  if (column === 'name') return sort === 'name' ? 'ascend' : sort === '-name' ? 'descend' : null;
  return sort === '-birthDate' ? 'ascend' : sort === 'birthDate' ? 'descend' : null;
}

function agingOutSoon(date: string): boolean {
  const days = Math.round((Date.parse(date) - Date.parse(chinaToday())) / 86_400_000);
  return days >= 0 && days <= AGING_OUT_DAYS;
}

/** A phone-sized row: the facts a director looks for, and a tap opens the file. */
function ChildCard({ child }: { child: ChildSummary }) {
  const t = useT();
  return (
    <Link to={`/children/${child.id}`} className="child-card" data-testid="child-row">
      <div className="child-card-main">
        <div className="child-card-title">
          <Typography.Text strong>{child.name}</Typography.Text>
          <Typography.Text type="secondary">
            {enumLabel(t, 'sex', child.sex)} · {t('child.ageYears', { age: child.age })}
          </Typography.Text>
          <ChildStatusTag status={child.status} />
        </div>
        <Typography.Text type="secondary" className="child-card-meta">
          {child.region.name} · {child.idNumberMasked ?? t('children.noIdNumber')}
        </Typography.Text>
        <div>
          <CategoryTags leftBehind={child.leftBehind} distress={child.distress} unsupported={child.unsupported} />
          {child.riskLevel !== 'low' ? <RiskTag risk={child.riskLevel} withLabel /> : null}
          {child.nextVisitDue && child.visitState !== 'ok' ? <VisitStateTag nextDue={child.nextVisitDue} /> : null}
          {agingOutSoon(child.agingOutDate) ? (
            <Tag color="red" className="child-tag">
              {t('children.agingOutSoon')}
            </Tag>
          ) : null}
        </div>
      </div>
      <RightOutlined className="child-card-arrow" />
    </Link>
  );
}

export function ChildrenPage() {
  const t = useT();
  const me = useSession();
  const navigate = useNavigate();
  const [params, update] = useUrlParams();
  const filters = filtersFromParams(params);
  const children = useChildren(filters);
  const filtered = [...params.keys()].some((key) => !['page', 'pageSize', 'sort'].includes(key));
  const isVillage = me.scope.region.level === 'village';
  const [exportDialog, setExportDialog] = useState(false);

  const columns: RecordColumn<ChildSummary>[] = [
    {
      title: t('children.col.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrder(filters.sort, 'name'),
      fixed: 'left',
      render: (name: string, child) => (
        <Link to={`/children/${child.id}`} data-testid="child-link">
          {name}
        </Link>
      ),
    },
    { title: t('children.col.sex'), dataIndex: 'sex', render: (sex: string) => enumLabel(t, 'sex', sex) },
    { title: t('children.col.age'), dataIndex: 'age', key: 'age', sorter: true, sortOrder: sortOrder(filters.sort, 'age') },
    {
      title: t('children.col.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (masked: string | null) => (masked ? <span className="child-number">{masked}</span> : <Typography.Text type="secondary">—</Typography.Text>),
    },
    { title: t('children.col.village'), key: 'village', render: (_: unknown, child) => child.region.name },
    {
      title: t('children.col.categories'),
      key: 'categories',
      render: (_: unknown, child) => <CategoryTags leftBehind={child.leftBehind} distress={child.distress} unsupported={child.unsupported} />,
    },
    { title: t('children.col.risk'), dataIndex: 'riskLevel', render: (_: unknown, child) => <RiskTag risk={child.riskLevel} /> },
    {
      title: t('children.col.nextVisit'),
      dataIndex: 'nextVisitDue',
      render: (due: string | null) =>
        due ? (
          <span className="child-next-visit">
            {due} <VisitStateTag nextDue={due} />
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('children.col.school'), dataIndex: 'schoolStatus', render: (status: string) => enumLabel(t, 'school', status) },
    { title: t('children.col.status'), dataIndex: 'status', render: (_: unknown, child) => <ChildStatusTag status={child.status} /> },
    {
      title: t('children.col.agingOut'),
      dataIndex: 'agingOutDate',
      render: (date: string) => (agingOutSoon(date) ? <Typography.Text type="danger" title={t('children.agingOutSoon')}>{date}</Typography.Text> : date),
    },
  ];

  const onSort = (column: Key | undefined, order: 'ascend' | 'descend' | undefined) => {
    let next: ChildSortKey | undefined;
    if (order && column === 'name') next = order === 'ascend' ? 'name' : '-name';
    if (order && column === 'age') next = order === 'ascend' ? '-birthDate' : 'birthDate';
    update({ sort: next, page: undefined });
  };

  const empty = (
    <Empty
      data-testid="children-empty"
      description={filtered ? t('children.empty') : hasPermission(me, 'child.register') ? t('children.emptyHint') : t('children.empty')}
    />
  );

  return (
    <div>
      <PageHeader
        title={t('children.title')}
        extra={
          <Space wrap>
            {hasPermission(me, 'child.export') ? (
              <Button icon={<DownloadOutlined />} onClick={() => setExportDialog(true)} data-testid="children-export">
                {t('children.export')}
              </Button>
            ) : null}
            {hasPermission(me, 'child.import') ? (
              <Button icon={<UploadOutlined />} onClick={() => void navigate('/children/import')} data-testid="children-import">
                {t('children.import')}
              </Button>
            ) : null}
            {hasPermission(me, 'child.register') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/children/new')} data-testid="register-child">
                {t('children.register')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card size="small">
        <FilterBar
          filters={[
            { kind: 'search', placeholder: t('children.searchPlaceholder'), className: 'filter-search child-filter-search', testId: 'children-search' },
            ...(isVillage
              ? []
              : [
                  {
                    kind: 'custom' as const,
                    params: ['region'],
                    node: <RegionTreeSelect className="filter-select" placeholder={t('children.filter.region')} value={filters.region} onChange={(region) => update({ region, page: undefined })} />,
                  },
                ]),
            narrowSelect('category', t('children.filter.category'), CATEGORIES.map((value) => ({ value, label: enumLabel(t, 'category', value) }))),
            narrowSelect('status', t('children.filter.status'), CHILD_STATUSES.map((value) => ({ value, label: enumLabel(t, 'status', value) })), 'children-status-filter'),
            narrowSelect('risk', t('children.filter.risk'), RISK_LEVELS.map((value) => ({ value, label: enumLabel(t, 'risk', value) }))),
            narrowSelect('school', t('children.filter.school'), SCHOOL_STATUSES.map((value) => ({ value, label: enumLabel(t, 'school', value) }))),
            narrowSelect('letters', t('children.filter.letters'), LETTER_FILTERS.map((value) => ({ value, label: t(`children.filter.letters.${value}`) })), 'filter-letters'),
            {
              kind: 'custom',
              params: ['ageMin', 'ageMax'],
              node: (
                <Space.Compact className="filter-age">
                  <InputNumber<number>
                    min={0}
                    max={18}
                    precision={0}
                    placeholder={t('children.filter.ageMin')}
                    value={filters.ageMin ?? null}
                    onChange={(value) => update({ ageMin: value === null ? undefined : String(value), page: undefined })}
                  />
                  <InputNumber<number>
                    min={0}
                    max={18}
                    precision={0}
                    placeholder={t('children.filter.ageMax')}
                    value={filters.ageMax ?? null}
                    onChange={(value) => update({ ageMax: value === null ? undefined : String(value), page: undefined })}
                  />
                </Space.Compact>
              ),
            },
            {
              kind: 'custom',
              params: ['agingOut'],
              node: (
                <Checkbox
                  className="filter-check"
                  checked={filters.agingOutWithinDays !== undefined}
                  onChange={(event) => update({ agingOut: event.target.checked ? '1' : undefined, page: undefined })}
                >
                  {t('children.filter.agingOut')}
                </Checkbox>
              ),
            },
          ]}
        />
        <RecordTable<ChildSummary>
          testId="children-table"
          cardsTestId="children-list"
          columns={columns}
          query={children}
          list={{ page: filters.page, pageSize: filters.pageSize, onPage: (page, pageSize) => update({ page, pageSize }) }}
          onSort={onSort}
          showSizeChanger
          renderCard={(child) => <ChildCard child={child} />}
          empty={empty}
        />
      </Card>
      <ChildrenExportModal
        open={exportDialog}
        filters={filters}
        total={children.data?.total}
        mayReveal={hasPermission(me, 'child.reveal')}
        onClose={() => setExportDialog(false)}
      />
    </div>
  );
}
