import { Breadcrumb, Card, Empty, Segmented, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import type { CoverageGap, CoverageRow } from '../../../../domain/api.js';
import { isRegionCode, isWithinRegion } from '../../../../domain/regions.js';
import { useCoverage, useCoverageGaps, type CoverageGapKind } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { regionPathLabel } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { useT } from './strings.js';
import { levelLabel } from '../../shared/i18n/labels.js';

const GAP_KINDS: readonly CoverageGapKind[] = ['villages-without-director', 'townships-without-supervisor'];
type Tab = 'regions' | 'gaps';

function gapCell(value: number) {
  return value > 0 ? <Typography.Text type="danger">{value}</Typography.Text> : value;
}

export function CoveragePage() {
  const t = useT();
  const me = useSession();
  const scopeCode = me.scope.region.code;
  const [params, update] = useUrlParams();
  const regionParam = params.get('region');
  const region = regionParam && isRegionCode(regionParam) ? regionParam : undefined;
  const tab: Tab = params.get('tab') === 'gaps' ? 'gaps' : 'regions';
  const gapKind: CoverageGapKind = params.get('gap') === 'townships-without-supervisor' ? 'townships-without-supervisor' : 'villages-without-director';
  const page = positiveIntParam(params.get('page'), 1);
  const pageSize = positiveIntParam(params.get('pageSize'), 20, 200);

  const report = useCoverage(region);
  const gaps = useCoverageGaps({ kind: gapKind, region, page, pageSize });

  // The scope root is the default report: keep the URL clean for it.
  const drillTo = (code: string) => update({ region: code === scopeCode ? undefined : code, page: undefined });

  const data = report.data;
  const totals = data?.totals;
  // Below a township the rows are villages: township and supervisor columns would only show zeros.
  const villageRows = data?.region.level === 'township';

  const allColumns: TableColumnsType<CoverageRow> = [
    {
      title: t('coverage.col.region'),
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, row) => (
        <span>
          {row.level === 'village' ? name : <Typography.Link>{name}</Typography.Link>}{' '}
          <Typography.Text type="secondary" className="coverage-level">
            {levelLabel(t, row.level)}
          </Typography.Text>
        </span>
      ),
    },
    { title: t('coverage.col.townships'), dataIndex: 'townships', align: 'right' },
    { title: t('coverage.col.townshipsWithoutSupervisor'), dataIndex: 'townshipsWithoutSupervisor', align: 'right', render: gapCell },
    { title: t('coverage.col.villages'), dataIndex: 'villages', align: 'right' },
    { title: t('coverage.col.villagesWithoutDirector'), dataIndex: 'villagesWithoutDirector', align: 'right', render: gapCell },
    { title: t('coverage.col.supervisors'), dataIndex: 'supervisors', align: 'right' },
    { title: t('coverage.col.directors'), dataIndex: 'directors', align: 'right' },
  ];

  const townshipKeys = new Set(['townships', 'townshipsWithoutSupervisor', 'supervisors']);
  const columns = villageRows ? allColumns.filter((column) => !('dataIndex' in column && typeof column.dataIndex === 'string' && townshipKeys.has(column.dataIndex))) : allColumns;

  const gapColumns: TableColumnsType<CoverageGap> = [
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('common.code'), dataIndex: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    { title: t('common.path'), dataIndex: 'path', render: (path: CoverageGap['path']) => regionPathLabel(path) },
  ];

  const totalCells = (row: CoverageRow) =>
    [
      { key: 'townships', value: row.townships },
      { key: 'townshipsWithoutSupervisor', value: gapCell(row.townshipsWithoutSupervisor) },
      { key: 'villages', value: row.villages },
      { key: 'villagesWithoutDirector', value: gapCell(row.villagesWithoutDirector) },
      { key: 'supervisors', value: row.supervisors },
      { key: 'directors', value: row.directors },
    ].filter((cell) => !villageRows || !townshipKeys.has(cell.key));

  const regionsTab = (
    <>
      <Breadcrumb
        className="coverage-breadcrumb"
        data-testid="coverage-breadcrumb"
        items={(data?.path ?? []).filter((p) => isWithinRegion(p.code, scopeCode)).map((p, index, all) => ({
          key: p.code,
          title: index === all.length - 1 ? p.name : <Typography.Link onClick={() => drillTo(p.code)}>{p.name}</Typography.Link>,
        }))}
      />
      {villageRows ? null : (
        <Typography.Paragraph type="secondary" className="coverage-hint">
          {t('coverage.drillHint')}
        </Typography.Paragraph>
      )}
      {report.isError ? (
        <Empty description={report.error.message} />
      ) : (
        <Table<CoverageRow>
          data-testid="coverage-table"
          rowKey="code"
          size="small"
          loading={report.isFetching}
          columns={columns}
          dataSource={data?.rows ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('coverage.noRows')} /> }}
          onRow={(row) => ({
            onClick: () => {
              if (row.level !== 'village') drillTo(row.code);
            },
            className: row.level === 'village' ? undefined : 'clickable-row',
          })}
          summary={() =>
            totals ? (
              <Table.Summary fixed>
                <Table.Summary.Row className="coverage-totals">
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>{t('coverage.totals')}</Typography.Text>
                  </Table.Summary.Cell>
                  {totalCells(totals).map((cell, index) => (
                    <Table.Summary.Cell key={cell.key} index={index + 1} align="right">
                      {cell.value}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      )}
    </>
  );

  const gapsTab = (
    <>
      <Segmented<CoverageGapKind>
        className="coverage-gap-kind"
        value={gapKind}
        onChange={(kind) => update({ gap: kind, page: undefined })}
        options={GAP_KINDS.map((kind) => ({
          value: kind,
          label: t(kind === 'villages-without-director' ? 'coverage.gap.villages' : 'coverage.gap.townships'),
        }))}
      />
      {gaps.isError ? (
        <Empty description={gaps.error.message} />
      ) : (
        <Table<CoverageGap>
          data-testid="coverage-gaps-table"
          rowKey="code"
          size="small"
          loading={gaps.isFetching}
          columns={gapColumns}
          dataSource={gaps.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('coverage.noGaps')} /> }}
          pagination={{
            current: page,
            pageSize,
            total: gaps.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (nextPage, nextSize) => update({ page: String(nextPage), pageSize: String(nextSize) }),
          }}
        />
      )}
    </>
  );

  return (
    <div>
      <PageHeader title={t('coverage.title')} />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => update({ tab: key === 'gaps' ? 'gaps' : undefined, page: undefined })}
          items={[
            { key: 'regions', label: t('coverage.tab.regions'), children: regionsTab },
            { key: 'gaps', label: t('coverage.tab.gaps'), children: gapsTab },
          ]}
        />
      </Card>
    </div>
  );
}
