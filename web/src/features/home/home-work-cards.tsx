/**
 * The first card of a home whose work is not the child files: an agency's
 * referrals (its inbox), the police's reports to acknowledge, a school contact's pupils, and a volunteer's honest
 * "nothing yet" (issue 12 point 11). Same tiles as the work list card.
 */
import { RightOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Result, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { useInboxSummary, usePupilHome } from './api.js';
import { useReports } from '../reports/api.js';
import { useSession } from '../../shared/api/session.js';
import { useT, type MessageKey } from './strings.js';
import { VacationLabel } from '../../shared/vacation-label.js';

interface Tile {
  key: string;
  label: MessageKey;
  value: number | undefined;
  to: string;
  /** The colour of a non-zero value (zero reads green: nothing waits). */
  colour: string;
}

function Tiles({ tiles, loading, testId }: { tiles: Tile[]; loading: boolean; testId: string }) {
  const t = useT();
  return (
    <Row gutter={[8, 8]}>
      {tiles.map((tile) => (
        <Col flex="1 1 120px" key={tile.key}>
          <Link to={tile.to} className="home-worklist-tile" data-testid={`${testId}-${tile.key}`}>
            <Statistic title={t(tile.label)} value={tile.value ?? '—'} loading={loading} valueStyle={(tile.value ?? 0) > 0 ? { color: tile.colour, fontWeight: 600 } : { color: '#389e0d' }} />
          </Link>
        </Col>
      ))}
    </Row>
  );
}

/** An agency: the referrals to its organisation that wait for it, one tap from the inbox. */
export function InboxHomeCard() {
  const t = useT();
  const summary = useInboxSummary();
  const data = summary.data;
  return (
    <Card
      size="small"
      className="home-worklist-card"
      data-testid="home-inbox"
      title={t('home.inbox.title')}
      extra={
        <Link to="/inbox" data-testid="home-inbox-link">
          {t('home.inbox.open')} <RightOutlined />
        </Link>
      }
    >
      {summary.isError ? (
        <Alert type="error" showIcon message={t('common.loadFailed')} description={summary.error.message} />
      ) : (
        <Tiles
          testId="home-inbox"
          loading={summary.isPending}
          tiles={[
            { key: 'toAccept', label: 'home.inbox.toAccept', value: data?.toAccept, to: '/inbox', colour: '#d46b08' },
            { key: 'overdue', label: 'home.inbox.overdue', value: data?.overdue, to: '/inbox', colour: '#cf1322' },
            { key: 'accepted', label: 'home.inbox.accepted', value: data?.accepted, to: '/inbox', colour: '#d46b08' },
            { key: 'inService', label: 'home.inbox.inService', value: data?.inService, to: '/inbox', colour: '#1677ff' },
          ]}
        />
      )}
    </Card>
  );
}

/** Enough of the police's queue (oldest first) to count the late ones exactly in any real week. */
const POLICE_QUEUE_PAGE = 200;

/** The police: mandatory reports of their area waiting for their acknowledgement, the late ones (over an hour) counted apart. */
export function PoliceReportsHomeCard() {
  const t = useT();
  const queue = useReports({ status: 'open', late: undefined, awaitingPolice: 'true', region: undefined, sort: 'police_queue', page: 1, pageSize: POLICE_QUEUE_PAGE });
  const data = queue.data;
  const late = data?.items.filter((r) => r.policeLate).length;
  return (
    <Card
      size="small"
      className="home-worklist-card"
      data-testid="home-police"
      title={t('home.police.title')}
      extra={
        <Link to="/reports?awaiting=true" data-testid="home-police-link">
          {t('home.police.open')} <RightOutlined />
        </Link>
      }
    >
      {queue.isError ? (
        <Alert type="error" showIcon message={t('common.loadFailed')} description={queue.error.message} />
      ) : (
        <Tiles
          testId="home-police"
          loading={queue.isPending}
          tiles={[
            { key: 'awaiting', label: 'home.police.awaiting', value: data?.total, to: '/reports?awaiting=true', colour: '#d46b08' },
            { key: 'late', label: 'home.police.late', value: late, to: '/reports?awaiting=true', colour: '#cf1322' },
          ]}
        />
      )}
    </Card>
  );
}

/** A school contact: the school's pupils on the register and those still without a home visit this vacation. */
export function PupilsHomeCard() {
  const t = useT();
  const home = usePupilHome();
  const data = home.data;
  return (
    <Card
      size="small"
      className="home-worklist-card"
      data-testid="home-pupils"
      title={t('home.pupils.title')}
      extra={
        <Link to="/pupils" data-testid="home-pupils-link">
          {t('home.pupils.open')} <RightOutlined />
        </Link>
      }
    >
      {home.isError ? (
        <Alert type="error" showIcon message={t('common.loadFailed')} description={home.error.message} />
      ) : (
        <>
          {data ? (
            <div className="home-pupils-vacation">
              <VacationLabel vacation={data.vacation} />
            </div>
          ) : null}
          <Tiles
            testId="home-pupils"
            loading={home.isPending}
            tiles={[
              { key: 'notVisited', label: 'home.pupils.notVisited', value: data?.notVisited, to: '/pupils?notVisited=true', colour: '#d46b08' },
              { key: 'pupils', label: 'home.pupils.total', value: data?.pupils, to: '/pupils', colour: '#1677ff' },
            ]}
          />
        </>
      )}
    </Card>
  );
}

/** A volunteer: pairing is a later module. Say what will be here and whom to ask meanwhile, without a link that leads nowhere. */
export function VolunteerHomeCard() {
  const t = useT();
  const me = useSession();
  const team = me.scope.kind === 'organisation' ? me.scope.organisation.name : null;
  return (
    <Card size="small" data-testid="home-volunteer">
      <Result
        className="home-volunteer"
        icon={<TeamOutlined />}
        title={t('home.volunteer.title')}
        subTitle={
          <>
            <Typography.Paragraph>{t('home.volunteer.willSee')}</Typography.Paragraph>
            <Typography.Paragraph>{team ? t('home.volunteer.contactTeam', { team }) : t('home.volunteer.contact')}</Typography.Paragraph>
          </>
        }
      />
    </Card>
  );
}
