/**
 * A home card of work waiting (the work list, an agency's inbox, the police's
 * queue, a school's pupils): a title with the way to the whole list, then one
 * tile per count, each a link to the list it counts. A count above zero takes
 * the tile's colour, zero reads green (nothing waits).
 */
import { RightOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Row, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useT } from './i18n/index.js';

export interface WorkTile {
  key: string;
  label: string;
  value: number | undefined;
  to: string;
  colour: string;
  /** A line under the count (e.g. "今天到期 2 人"). */
  note?: ReactNode;
}

export interface WorkCardProps {
  /** The card's test id; each tile is `${testId}-${tile.key}`, the link `${testId}-link`. */
  testId: string;
  title: string;
  /** The whole list, and its words. */
  to: string;
  open: string;
  /** The counts failed to load: the server's words instead of the tiles. */
  error: Error | null;
  loading: boolean;
  tiles: WorkTile[];
  /** What stands above the tiles (e.g. the vacation the counts are about). */
  children?: ReactNode;
}

export function WorkCard({ testId, title, to, open, error, loading, tiles, children }: WorkCardProps) {
  const t = useT();
  return (
    <Card
      size="small"
      className="home-worklist-card"
      data-testid={testId}
      title={title}
      extra={
        <Link to={to} data-testid={`${testId}-link`}>
          {open} <RightOutlined />
        </Link>
      }
    >
      {error ? (
        <Alert type="error" showIcon message={t('common.loadFailed')} description={error.message} />
      ) : (
        <>
          {children}
          <Row gutter={[8, 8]}>
            {tiles.map((tile) => (
              <Col flex="1 1 120px" key={tile.key}>
                <Link to={tile.to} className="home-worklist-tile" data-testid={`${testId}-${tile.key}`}>
                  <Statistic title={tile.label} value={tile.value ?? '—'} loading={loading} valueStyle={(tile.value ?? 0) > 0 ? { color: tile.colour, fontWeight: 600 } : { color: '#389e0d' }} />
                  {tile.note}
                </Link>
              </Col>
            ))}
          </Row>
        </>
      )}
    </Card>
  );
}
