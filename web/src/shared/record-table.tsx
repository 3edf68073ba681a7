/**
 * The paged list of records every list page shares (reports, referrals, the
 * inbox, orders, review, users, organisations, campaigns): server-side pages
 * kept in the URL, a row opens its record, flagged rows (late, overdue) get a
 * class, an empty list says so. On a phone each row is a card, as on the
 * director's work list: the heading with its tags, the other columns as
 * "label value" lines, and the row's actions as buttons at the bottom, so
 * nothing is off-screen at 360 px.
 */
import { RightOutlined } from '@ant-design/icons';
import { Empty, Grid, List, Table, type TableColumnType, type TableProps } from 'antd';
import type { HTMLAttributes, Key, ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useT } from './i18n/index.js';

/**
 * A column, and how the phone card shows it: `title` is the card's heading
 * (the first column unless one says so), `tag` stands beside the heading,
 * `line` is a labelled line (the default), `none` stays in the table only.
 * The column keyed `actions` is the card's footer.
 */
export type RecordColumn<T> = TableColumnType<T> & { card?: 'title' | 'tag' | 'line' | 'none' };

export interface RecordTableProps<T extends object> {
  testId: string;
  columns: RecordColumn<T>[];
  /** The server's page of rows (a react-query result); an error shows its message instead of the rows. */
  query: { data?: { items: T[]; total: number }; isFetching: boolean; isPending?: boolean; error: Error | null };
  /** The page and page size from the URL, and the way to write them (useListParams). */
  list: { page: number; pageSize: number; onPage: (page: string, pageSize: string) => void };
  /** Sorting by a column header (table only): the column's key and order, or undefined when cleared. */
  onSort?: (columnKey: Key | undefined, order: 'ascend' | 'descend' | undefined) => void;
  /** Where a row leads, when it leads anywhere. */
  hrefOf?: (row: T) => string;
  /** A row drawn as flagged (e.g. overdue), by this class. */
  flaggedClass?: (row: T) => string;
  /** What an empty list says: words (under a small picture), or an element of the page's own. */
  empty: ReactNode;
  rowKey?: (row: T) => string;
  showSizeChanger?: boolean;
  /** A card of the feature's own for a phone (the children list, campaigns), instead of the one drawn from the columns. */
  renderCard?: (row: T) => ReactNode;
  /** The test id of the phone's list, when it differs from the table's. */
  cardsTestId?: string;
  /** Rows that open in place on a wide screen (the audit log's details). */
  expandable?: TableProps<T>['expandable'];
}

const keyOf = <T extends object>(props: RecordTableProps<T>, row: T): string => props.rowKey?.(row) ?? String((row as { id?: unknown }).id);

function cellOf<T>(column: RecordColumn<T>, row: T, index: number): ReactNode {
  const path = column.dataIndex;
  const value = typeof path === 'string' || typeof path === 'number' ? (row as Record<string | number, unknown>)[path] : undefined;
  return column.render ? (column.render(value, row, index) as ReactNode) : (value as ReactNode);
}

function RecordCard<T extends object>({ props, row, index }: { props: RecordTableProps<T>; row: T; index: number }) {
  const navigate = useNavigate();
  const visible = props.columns.filter((c) => c.card !== 'none');
  const heading = visible.find((c) => c.card === 'title') ?? visible.find((c) => c.key !== 'actions');
  const tags = visible.filter((c) => c.card === 'tag');
  const lines = visible.filter((c) => c !== heading && c.card !== 'tag' && c.key !== 'actions');
  const actions = visible.find((c) => c.key === 'actions');
  const href = props.hrefOf?.(row);
  const actionCell = actions ? cellOf(actions, row, index) : null;
  return (
    <div className={`record-card ${props.flaggedClass?.(row) ?? ''}`} data-testid="record-row">
      <div className={href ? 'record-card-main clickable-row' : 'record-card-main'} onClick={href ? () => void navigate(href) : undefined}>
        <div className="record-card-head">
          <span className="record-card-title">{heading ? cellOf(heading, row, index) : null}</span>
          {tags.map((c, i) => (
            <span key={typeof c.key === 'string' ? c.key : i}>{cellOf(c, row, index)}</span>
          ))}
          {href ? <RightOutlined className="record-card-arrow" /> : null}
        </div>
        {lines.map((c, i) => (
          <div key={typeof c.key === 'string' ? c.key : i} className="record-card-line">
            <span className="record-card-label">{c.title as ReactNode}</span>
            <span className="record-card-value">{cellOf(c, row, index)}</span>
          </div>
        ))}
      </div>
      {actionCell ? <div className="record-card-actions">{actionCell}</div> : null}
    </div>
  );
}

export function RecordTable<T extends object>(props: RecordTableProps<T>) {
  const t = useT();
  const navigate = useNavigate();
  const isPhone = Grid.useBreakpoint().md !== true;
  const { query, list } = props;
  // Nothing said while the first page loads (the spinner says it); then the list's own words when empty.
  const empty = query.isPending ? ' ' : typeof props.empty === 'string' ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} /> : props.empty;
  if (query.error) return <Empty description={query.error.message} />;
  const rows = query.data?.items ?? [];
  const pagination = {
    current: list.page,
    pageSize: list.pageSize,
    total: query.data?.total ?? 0,
    showTotal: (n: number) => t('common.total', { total: n }),
  };
  if (isPhone) {
    return (
      <List<T>
        data-testid={props.cardsTestId ?? props.testId}
        className="record-cards"
        loading={query.isFetching}
        dataSource={rows}
        locale={{ emptyText: empty }}
        renderItem={(row, index) => (
          <List.Item key={keyOf(props, row)} className="record-card-item">
            {props.renderCard ? props.renderCard(row) : <RecordCard props={props} row={row} index={index} />}
          </List.Item>
        )}
        pagination={{ ...pagination, size: 'small', simple: true, align: 'center', onChange: (p, s) => list.onPage(String(p), String(s)) }}
      />
    );
  }
  const { hrefOf } = props;
  const onChange: TableProps<T>['onChange'] = (paging, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const single = Array.isArray(sorter) ? sorter[0] : sorter;
      props.onSort?.(single?.order ? single.columnKey : undefined, single?.order ?? undefined);
      return;
    }
    list.onPage(String(paging.current ?? 1), String(paging.pageSize ?? list.pageSize));
  };
  return (
    <Table<T>
      data-testid={props.testId}
      rowKey={(row) => keyOf(props, row)}
      size="small"
      loading={query.isFetching}
      columns={props.columns.map(({ card: _card, ...column }) => column)}
      dataSource={rows}
      rowClassName={(row) => `${hrefOf ? 'clickable-row ' : ''}${props.flaggedClass?.(row) ?? ''}`}
      onRow={(row) => ({ 'data-testid': 'record-row', onClick: hrefOf ? () => void navigate(hrefOf(row)) : undefined }) as HTMLAttributes<HTMLElement>}
      onChange={onChange}
      expandable={props.expandable}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: empty }}
      pagination={{ ...pagination, showSizeChanger: props.showSizeChanger }}
    />
  );
}
