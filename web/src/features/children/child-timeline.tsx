/**
 * The child's timeline (DESIGN §4 and issue 4): visits, risk changes,
 * registration, changes, transfers and closure in one list, newest first.
 * Mandatory reports show with their police state and open the report;
 * referrals show with their state and open the referral; services join it later; an item of a kind this page does not
 * know still shows, with its title.
 */
import { Button, Empty, Skeleton, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { z } from 'zod';
import { REFERRAL_STATES } from '../../../../domain/referrals/rules.js';
import { useChildTimeline } from '../visits/api.js';
import { useT, type Translate } from './strings.js';
import { formatDateTime } from '../../shared/format.js';
import { OrderTimelineFlags } from '../orders/public.js';
import { scheduleLabel, timelineKindLabel } from '../../shared/i18n/visit-labels.js';

/** The timeline's dot takes blue, red, green, gray or a CSS colour: antd's other tag presets as their hex. */
const DOT_COLOURS: Record<string, string> = { volcano: '#fa541c', cyan: '#13c2c2', purple: '#722ed1', gold: '#faad14', geekblue: '#2f54eb' };
const KIND_COLOURS: Record<string, string> = { visit: 'green', risk: 'red', registration: 'blue', change: 'gray', closure: 'gray', transfer: 'purple', report: 'volcano', referral: 'cyan', order: 'geekblue', letter: 'gold' };

const RiskChange = z.object({ riskFrom: z.string().nullish(), riskTo: z.string(), comment: z.string().nullish() });
const VisitFacts = z.object({ seenInPerson: z.boolean().optional(), dropoutRisk: z.boolean().nullish(), onTime: z.boolean().nullish() });

/** A risk change as 低 → 高 with its reason, when the server sent those details. */
function riskLine(t: Translate, details: Record<string, unknown>): string | null {
  const parsed = RiskChange.safeParse(details);
  if (!parsed.success) return null;
  const { riskFrom, riskTo, comment } = parsed.data;
  const change = `${riskFrom ? scheduleLabel(t, 'level', riskFrom) : '—'} → ${scheduleLabel(t, 'level', riskTo)}`;
  return comment ? `${change}（${comment}）` : change;
}

/** What a visit item says beyond its title: not seen in person, late, dropout risk. */
function VisitFlags({ details }: { details: Record<string, unknown> }) {
  const t = useT();
  const parsed = VisitFacts.safeParse(details);
  if (!parsed.success) return null;
  const { seenInPerson, dropoutRisk, onTime } = parsed.data;
  return (
    <>
      {seenInPerson === false ? (
        <Tag color="gold" className="child-tag">
          {t('visit.notSeen')}
        </Tag>
      ) : null}
      {onTime === false ? (
        <Tag color="orange" className="child-tag">
          {t('visit.late')}
        </Tag>
      ) : null}
      {dropoutRisk ? (
        <Tag color="red" className="child-tag">
          {t('visit.field.dropoutRisk')}
        </Tag>
      ) : null}
    </>
  );
}

const ReportFacts = z.object({ reportId: z.string(), late: z.boolean(), status: z.enum(['open', 'closed']), triggers: z.array(z.string()) });

/** A mandatory report: late in red, its state, and a link to it. */
function ReportFlags({ details }: { details: Record<string, unknown> }) {
  const t = useT();
  const parsed = ReportFacts.safeParse(details);
  if (!parsed.success) return null;
  const { reportId, late, status } = parsed.data;
  return (
    <>
      {late ? (
        <Tag color="red" className="child-tag">
          {t('report.late')}
        </Tag>
      ) : null}
      <Tag className="child-tag">{t(`report.status.${status}`)}</Tag>
      <Link to={`/reports/${reportId}`} data-testid="timeline-open-report">
        {t('report.openReport')}
      </Link>
    </>
  );
}

const ReferralFacts = z.object({ referralId: z.string(), state: z.enum(REFERRAL_STATES), overdue: z.boolean() });

/** A referral (转介): its current state, overdue in red, and a link to it. */
function ReferralFlags({ details }: { details: Record<string, unknown> }) {
  const t = useT();
  const parsed = ReferralFacts.safeParse(details);
  if (!parsed.success) return null;
  const { referralId, state, overdue } = parsed.data;
  return (
    <>
      {overdue ? (
        <Tag color="red" className="child-tag">
          {t('referral.overdueTag')}
        </Tag>
      ) : null}
      <Tag className="child-tag">{t(`referral.state.${state}`)}</Tag>
      <Link to={`/referrals/${referralId}`} data-testid="timeline-open-referral">
        {t('referral.open')}
      </Link>
    </>
  );
}

/** A signed guardianship letter: marked when a change of carer has superseded it. */
function LetterFlags({ details }: { details: Record<string, unknown> }) {
  const t = useT();
  return details.current === false ? <Tag className="child-tag">{t('letter.superseded')}</Tag> : null;
}

/** A visit is dated by its day; the file's changes by their instant. */
const whenOf = (at: string) => (/^\d{4}-\d{2}-\d{2}$/.test(at) ? at : formatDateTime(at));

export function ChildTimeline({ childId, onOpenVisit }: { childId: string; onOpenVisit: (visitId: string) => void }) {
  const t = useT();
  const timeline = useChildTimeline(childId, true);
  if (timeline.isPending) return <Skeleton active />;
  if (timeline.isError) return <Empty description={timeline.error.message} />;
  if (timeline.data.items.length === 0) return <Empty description={t('timeline.empty')} />;
  // Newest first, whatever order the server used.
  const items = [...timeline.data.items].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <Timeline
      className="child-timeline"
      data-testid="child-timeline"
      items={items.map((item, index) => {
        const risk = item.kind === 'risk' ? riskLine(t, item.details) : null;
        return {
          key: `${item.at}-${index}`,
          color: DOT_COLOURS[KIND_COLOURS[item.kind] ?? 'gray'] ?? KIND_COLOURS[item.kind] ?? 'gray',
          children: (
            <div className="timeline-entry" data-testid="timeline-item" data-kind={item.kind}>
              <div className="timeline-head">
                <Tag color={KIND_COLOURS[item.kind] === 'gray' ? 'default' : KIND_COLOURS[item.kind]} className="child-tag">
                  {timelineKindLabel(t, item.kind)}
                </Tag>
                <Typography.Text strong>{item.title}</Typography.Text>
                {item.kind === 'visit' ? <VisitFlags details={item.details} /> : null}
                {item.kind === 'report' ? <ReportFlags details={item.details} /> : null}
                {item.kind === 'referral' ? <ReferralFlags details={item.details} /> : null}
                {item.kind === 'order' ? <OrderTimelineFlags details={item.details} /> : null}
                {item.kind === 'letter' ? <LetterFlags details={item.details} /> : null}
              </div>
              {risk ? <Typography.Text>{risk}</Typography.Text> : null}
              <Typography.Text type="secondary" className="timeline-meta">
                {whenOf(item.at)}
                {item.actor ? ` · ${item.actor}` : ''}
              </Typography.Text>
              {item.visitId ? (
                <Button type="link" size="small" className="timeline-open" onClick={() => onOpenVisit(item.visitId ?? '')}>
                  {t('timeline.openVisit')}
                </Button>
              ) : null}
            </div>
          ),
        };
      })}
    />
  );
}
