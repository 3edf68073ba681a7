import { RightOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Row, Statistic } from 'antd';
import { Link } from 'react-router';
import type { WorklistKind } from '../../../../domain/visits/schema.js';
import { useWorklistCounts } from './api.js';
import { useT, type MessageKey } from './strings.js';

const TILES: { kind: WorklistKind; label: MessageKey; colour: string }[] = [
  { kind: 'overdue', label: 'home.worklist.overdue', colour: '#cf1322' },
  { kind: 'due_this_week', label: 'home.worklist.dueThisWeek', colour: '#d46b08' },
  { kind: 'never_visited', label: 'home.worklist.neverVisited', colour: '#d46b08' },
  { kind: 'unseen', label: 'home.worklist.unseen', colour: '#d46b08' },
  { kind: 'letters_missing', label: 'home.worklist.lettersMissing', colour: '#d46b08' },
  { kind: 'facts_missing', label: 'home.worklist.factsMissing', colour: '#cf1322' },
];

/** The home page's first card for those who visit or oversee visits: what is waiting, one tap from each list. */
export function WorklistHomeCard() {
  const t = useT();
  const counts = useWorklistCounts(undefined);
  return (
    <Card
      size="small"
      className="home-worklist-card"
      data-testid="home-worklist"
      title={t('home.worklist.title')}
      extra={
        <Link to="/worklist" data-testid="home-worklist-link">
          {t('home.worklist.open')} <RightOutlined />
        </Link>
      }
    >
      {counts.isError ? (
        <Alert type="error" showIcon message={t('common.loadFailed')} description={counts.error.message} />
      ) : (
        <Row gutter={[8, 8]}>
          {TILES.map((tile) => {
            const value = counts.data?.counts[tile.kind];
            return (
              <Col flex="1 1 120px" key={tile.kind}>
                <Link to={tile.kind === 'overdue' ? '/worklist' : `/worklist?tab=${tile.kind}`} className="home-worklist-tile" data-testid={`home-worklist-${tile.kind}`}>
                  <Statistic
                    title={t(tile.label)}
                    value={value ?? '—'}
                    loading={counts.isPending}
                    valueStyle={(value ?? 0) > 0 ? { color: tile.colour, fontWeight: 600 } : { color: '#389e0d' }}
                  />
                  {tile.kind === 'due_this_week' && (counts.data?.dueToday ?? 0) > 0 ? (
                    <span className="home-worklist-today" data-testid="home-worklist-due-today">
                      {t('home.worklist.dueToday', { count: counts.data?.dueToday ?? 0 })}
                    </span>
                  ) : null}
                </Link>
              </Col>
            );
          })}
        </Row>
      )}
    </Card>
  );
}
