/**
 * The first card of a home whose work is not the child files: an agency's
 * referrals (its inbox), the police's reports to acknowledge, a school contact's pupils, and a volunteer's honest
 * "nothing yet" (issue 12 point 11). Same tiles as the work list card.
 */
import { TeamOutlined } from '@ant-design/icons';
import { Card, Typography } from 'antd';
import { useInboxSummary, usePupilHome } from './api.js';
import { useReports } from '../reports/api.js';
import { useSession } from '../../shared/api/session.js';
import { useT } from './strings.js';
import { WorkCard } from '../../shared/work-tiles.js';
import { VacationLabel } from '../../shared/vacation-label.js';
import { DeferredResult as Result } from '../../shared/deferred-result.js';

/** An agency: the referrals to its organisation that wait for it, one tap from the inbox. */
export function InboxHomeCard() {
  const t = useT();
  const summary = useInboxSummary();
  const data = summary.data;
  return (
    <WorkCard
      testId="home-inbox"
      title={t('home.inbox.title')}
      to="/inbox"
      open={t('home.inbox.open')}
      error={summary.error}
      loading={summary.isPending}
      tiles={[
        { key: 'toAccept', label: t('home.inbox.toAccept'), value: data?.toAccept, to: '/inbox', colour: '#d46b08' },
        { key: 'overdue', label: t('home.inbox.overdue'), value: data?.overdue, to: '/inbox', colour: '#cf1322' },
        { key: 'accepted', label: t('home.inbox.accepted'), value: data?.accepted, to: '/inbox', colour: '#d46b08' },
        { key: 'inService', label: t('home.inbox.inService'), value: data?.inService, to: '/inbox', colour: '#1677ff' },
      ]}
    />
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
    <WorkCard
      testId="home-police"
      title={t('home.police.title')}
      to="/reports?awaiting=true"
      open={t('home.police.open')}
      error={queue.error}
      loading={queue.isPending}
      tiles={[
        { key: 'awaiting', label: t('home.police.awaiting'), value: data?.total, to: '/reports?awaiting=true', colour: '#d46b08' },
        { key: 'late', label: t('home.police.late'), value: late, to: '/reports?awaiting=true', colour: '#cf1322' },
      ]}
    />
  );
}

/** A school contact: the school's pupils on the register and those still without a home visit this vacation. */
export function PupilsHomeCard() {
  const t = useT();
  const home = usePupilHome();
  const data = home.data;
  return (
    <WorkCard
      testId="home-pupils"
      title={t('home.pupils.title')}
      to="/pupils"
      open={t('home.pupils.open')}
      error={home.error}
      loading={home.isPending}
      tiles={[
        { key: 'notVisited', label: t('home.pupils.notVisited'), value: data?.notVisited, to: '/pupils?notVisited=true', colour: '#d46b08' },
        { key: 'pupils', label: t('home.pupils.total'), value: data?.pupils, to: '/pupils', colour: '#1677ff' },
      ]}
    >
      {data ? (
        <div className="home-pupils-vacation">
          <VacationLabel vacation={data.vacation} />
        </div>
      ) : null}
    </WorkCard>
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
