import { RightOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import type { HomeSummary } from '../../../../domain/api.js';
import type { RegionLevel } from '../../../../domain/regions.js';
import { useChildCount } from '../children/api.js';
import { useHomeSummary } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { visibleScopePath } from '../../shared/layout/scope-breadcrumb.js';
import { InboxHomeCard, PoliceReportsHomeCard, PupilsHomeCard, VolunteerHomeCard } from './home-work-cards.js';
import { LateReportsCard } from '../reports/public.js';
import { WorklistHomeCard } from '../worklists/public.js';
import { useT, type MessageKey } from './strings.js';
import { levelLabel, roleLabel } from '../../shared/i18n/labels.js';
import { hasPermission } from '../../shared/feature.js';
import { useVisibleMenu } from '../../shared/menu.js';
import { PlainList, PlainListItem } from '../../shared/plain-list.js';

type CountKey = keyof NonNullable<HomeSummary['counts']>;

const LEVEL_DEPTH: Record<RegionLevel, number> = { province: 0, city: 1, county: 2, township: 3, village: 4 };

/** Which counts mean something for a scope at `level` (a village has no townships). */
function countsFor(level: RegionLevel): { key: CountKey; label: MessageKey; warn?: boolean }[] {
  const depth = LEVEL_DEPTH[level];
  const cards: { key: CountKey; label: MessageKey; warn?: boolean }[] = [];
  if (depth <= LEVEL_DEPTH.city) cards.push({ key: 'counties', label: 'home.stat.counties' });
  if (depth <= LEVEL_DEPTH.county) cards.push({ key: 'townships', label: 'home.stat.townships' });
  if (depth <= LEVEL_DEPTH.township) cards.push({ key: 'villages', label: 'home.stat.villages' });
  if (depth <= LEVEL_DEPTH.county) cards.push({ key: 'supervisors', label: 'home.stat.supervisors' });
  if (depth <= LEVEL_DEPTH.township) cards.push({ key: 'directors', label: 'home.stat.directors' });
  if (depth <= LEVEL_DEPTH.county) cards.push({ key: 'townshipsWithoutSupervisor', label: 'home.stat.townshipsWithoutSupervisor', warn: true });
  if (depth <= LEVEL_DEPTH.township) cards.push({ key: 'villagesWithoutDirector', label: 'home.stat.villagesWithoutDirector', warn: true });
  if (depth <= LEVEL_DEPTH.township) cards.push({ key: 'activeUsers', label: 'home.stat.activeUsers' });
  return cards;
}

/** The child files at a glance: a way in, and for approvers what waits for them. */
function ChildrenCard() {
  const me = useSession();
  const t = useT();
  const approver = hasPermission(me, 'child.approve');
  const pending = useChildCount('pending', approver);
  const closing = useChildCount('closing', approver);
  return (
    <Card
      size="small"
      title={t('home.children.title')}
      className="home-children-card"
      data-testid="home-children"
      extra={
        <Link to="/children" data-testid="home-children-link">
          {t('home.children.open')} <RightOutlined />
        </Link>
      }
    >
      {approver ? (
        <Row gutter={[12, 12]}>
          {[
            { key: 'pending', label: t('home.children.pending'), query: pending, to: '/children/review' },
            { key: 'closing', label: t('home.children.closing'), query: closing, to: '/children/review?tab=closing' },
          ].map((item) => (
            <Col xs={12} sm={8} lg={6} key={item.key}>
              <Link to={item.to} className="home-children-stat" data-testid={`home-children-${item.key}`}>
                <Statistic
                  title={item.label}
                  value={item.query.data ?? '—'}
                  loading={item.query.isPending}
                  valueStyle={(item.query.data ?? 0) > 0 ? { color: '#d46b08' } : undefined}
                />
              </Link>
            </Col>
          ))}
        </Row>
      ) : (
        <Typography.Text type="secondary">{t('home.link.children')}</Typography.Text>
      )}
    </Card>
  );
}

function StaffingCards({ region, counts, scopeName }: { region: HomeSummary['region']; counts: NonNullable<HomeSummary['counts']>; scopeName: string }) {
  const t = useT();
  const cards = countsFor(region.level);
  return (
    <>
      <Card size="small" className="home-region-card" title={t('home.myRegion')}>
        <Typography.Text strong className="home-region-name">
          {scopeName}
        </Typography.Text>
        <Typography.Text type="secondary" className="home-region-meta">
          {levelLabel(t, region.level)} · {region.code}
        </Typography.Text>
      </Card>
      {cards.length === 0 ? null : (
        <Row gutter={[12, 12]} className="home-stats">
          {cards.map((card) => {
            const value = counts[card.key];
            return (
              <Col xs={12} sm={8} lg={6} key={card.key}>
                <Card size="small" className="home-stat-card">
                  <Statistic title={t(card.label)} value={value} valueStyle={card.warn && value > 0 ? { color: '#cf1322' } : undefined} />
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
    </>
  );
}

export function HomePage() {
  const me = useSession();
  const t = useT();
  const summary = useHomeSummary();
  const scopeRegion = me.scope.region;
  const links = useVisibleMenu(me).filter((item) => item.description !== null);

  return (
    <div className="home-page">
      <div className="home-greeting">
        <Typography.Title level={4} className="home-greeting-title">
          {t('home.greeting', { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Text type="secondary" data-testid="home-scope">
          {roleLabel(t, me.user.role)} · {visibleScopePath(me.scope).map((region) => region.name).join(' / ')}
          {me.scope.kind === 'organisation' ? ` · ${t('home.scopeOrganisation', { name: me.scope.organisation.name })}` : ''}
        </Typography.Text>
      </div>

      {/* What waits for this role comes first: late reports and the work list, the police's reports to acknowledge, the agency's referrals, the school's pupils. */}
      {hasPermission(me, 'worklist.read') && hasPermission(me, 'report.read') ? <LateReportsCard region={undefined} /> : null}
      {hasPermission(me, 'worklist.read') ? <WorklistHomeCard /> : null}
      {hasPermission(me, 'report.respond') ? <PoliceReportsHomeCard /> : null}
      {hasPermission(me, 'referral.inbox') ? <InboxHomeCard /> : null}
      {hasPermission(me, 'pupil.read') ? <PupilsHomeCard /> : null}
      {me.user.role === 'volunteer' ? <VolunteerHomeCard /> : null}

      {summary.isPending ? (
        <Card size="small">
          <Skeleton active paragraph={{ rows: 2 }} />
        </Card>
      ) : summary.isError ? (
        <Alert type="error" showIcon message={t('common.loadFailed')} description={summary.error.message} />
      ) : summary.data.counts === null ? null : (
        // The staffing of the scope, for those who run or oversee the network (the server sends none to the others).
        <StaffingCards region={summary.data.region} counts={summary.data.counts} scopeName={scopeRegion.name} />
      )}

      {hasPermission(me, 'child.read') ? <ChildrenCard /> : null}

      {links.length > 0 ? (
        <Card size="small" title={t('home.quickLinks')} className="home-links">
          <PlainList
            items={links}
            itemKey={(item) => item.key}
            renderItem={(item) => (
              <PlainListItem>
                <Link to={item.path} className="home-link">
                  <span className="home-link-text">
                    <Typography.Text strong>{t(item.label)}</Typography.Text>
                    {item.description ? <Typography.Text type="secondary">{t(item.description)}</Typography.Text> : null}
                  </span>
                  <RightOutlined />
                </Link>
              </PlainListItem>
            )}
          />
        </Card>
      ) : null}
    </div>
  );
}
