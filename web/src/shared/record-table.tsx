/**
 * The paged list of records that the reports, referrals and inbox pages share:
 * server-side pages kept in the URL, a row opens its record, flagged rows
 * (late, overdue) get a class, an empty list says so.
 */
import { Empty, Table, type TableColumnsType } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from './i18n/index.js';

export interface RecordTableProps<T extends { id: string }> {
  testId: string;
  columns: TableColumnsType<T>;
  data: { items: T[]; total: number } | undefined;
  loading: boolean;
  page: number;
  pageSize: number;
  /** Writes the page into the URL (as strings, like the other filters). */
  onPage: (page: string, pageSize: string) => void;
  /** Where a row leads. */
  hrefOf: (row: T) => string;
  /** A row drawn as flagged (e.g. overdue), by this class. */
  flaggedClass?: (row: T) => string;
  empty: string;
}

export function RecordTable<T extends { id: string }>(props: RecordTableProps<T>) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Table<T>
      data-testid={props.testId}
      rowKey="id"
      size="small"
      loading={props.loading}
      columns={props.columns}
      dataSource={props.data?.items ?? []}
      rowClassName={(row) => props.flaggedClass?.(row) ?? ''}
      onRow={(row) => ({ onClick: () => void navigate(props.hrefOf(row)) })}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} /> }}
      pagination={{
        current: props.page,
        pageSize: props.pageSize,
        total: props.data?.total ?? 0,
        showTotal: (n) => t('common.total', { total: n }),
        onChange: (p, s) => props.onPage(String(p), String(s)),
      }}
    />
  );
}
