import { EditOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Empty, Grid, Image, Skeleton, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { VISIT_FACTORS } from '../../../../domain/visits/risk.js';
import { CHECKLIST_ITEMS, type VisitRecord } from '../../../../domain/visits/schema.js';
import { useCampaignTask, useVisit } from './api.js';
import { useT } from './strings.js';
import { formatDateTime } from '../../shared/format.js';
import { roleLabelOf } from './visit-list.js';
import { scheduleLabel, visitLabel } from '../../shared/i18n/visit-labels.js';

const RATING_COLOURS = { fine: 'green', concern: 'orange', serious: 'red' } as const;

function VisitBody({ visit }: { visit: VisitRecord }) {
  const t = useT();
  const task = useCampaignTask(visit.campaignTaskId ?? null);
  const answered = VISIT_FACTORS.filter((f) => visit.factors[f] !== undefined);
  const campaignLabel = (key: string) => task.data?.checklist.find((item) => item.key === key)?.label ?? key;
  return (
    <div className="visit-detail" data-testid="visit-detail">
      <Descriptions size="small" column={1} bordered className="visit-detail-facts">
        <Descriptions.Item label={t('visit.field.visitDate')}>
          <Space size={4} wrap>
            <span>{visit.visitDate}</span>
            {visit.onTime === false ? <Tag color="orange">{t('visit.late')}</Tag> : null}
            {visit.onTime === true ? <Tag color="green">{t('visit.onTime')}</Tag> : null}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('visit.field.kind')}>{visitLabel(t, 'kind', visit.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('visit.visitor')}>
          {visit.visitor.name} · {roleLabelOf(t, visit.visitor.role)}
        </Descriptions.Item>
        <Descriptions.Item label={t('visit.field.seenInPerson')}>{t(visit.seenInPerson ? 'visit.answer.yes' : 'visit.answer.no')}</Descriptions.Item>
        <Descriptions.Item label={t('visit.field.present')}>
          {visit.present.length > 0 ? visit.present.map((person) => visitLabel(t, 'present', person)).join('、') : '—'}
        </Descriptions.Item>
        {visit.dropoutRisk ? (
          <Descriptions.Item label={t('visit.field.dropoutRisk')}>
            <Tag color="red">{t('visit.answer.yes')}</Tag>
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      {visit.campaignAnswers && Object.keys(visit.campaignAnswers).length > 0 ? (
        <>
          <Typography.Title level={5} className="visit-detail-heading">
            {t('visit.section.campaign')}
            {task.data ? <Typography.Text type="secondary"> · {task.data.campaignName}</Typography.Text> : null}
          </Typography.Title>
          <ul className="visit-detail-list">
            {Object.entries(visit.campaignAnswers).map(([key, answer]) => (
              <li key={key}>
                <Tag color={answer.ok ? 'green' : 'red'}>{t(answer.ok ? 'visit.answer.yes' : 'visit.answer.no')}</Tag>
                {campaignLabel(key)}
                {answer.note ? <Typography.Text type="secondary">：{answer.note}</Typography.Text> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <Typography.Title level={5} className="visit-detail-heading">
        {t('visit.section.checklist')}
        {visit.checklistAllFine ? (
          <Tag color="green" className="visit-detail-all-fine" data-testid="visit-detail-all-fine">
            {t('visit.allFineRecorded')}
          </Tag>
        ) : null}
      </Typography.Title>
      <ul className="visit-detail-list" data-testid="visit-detail-checklist">
        {CHECKLIST_ITEMS.map((item) => {
          const answer = visit.checklist[item];
          // An item left out was not asked (a teacher's vacation visit asks fewer): said so, never shown as fine.
          return (
            <li key={item} data-testid={`visit-detail-check-${item}`}>
              {answer ? <Tag color={RATING_COLOURS[answer.rating]}>{visitLabel(t, 'rating', answer.rating)}</Tag> : <Tag>{t('visit.rating.notAsked')}</Tag>}
              {visitLabel(t, 'check', item)}
              {answer?.note ? <Typography.Text type="secondary">：{answer.note}</Typography.Text> : null}
            </li>
          );
        })}
      </ul>

      {answered.length > 0 ? (
        <>
          <Typography.Title level={5} className="visit-detail-heading">
            {t('visit.section.factors')}
          </Typography.Title>
          <ul className="visit-detail-list">
            {answered.map((factor) => (
              <li key={factor}>
                <Tag color={visit.factors[factor] ? 'red' : 'green'}>{t(visit.factors[factor] ? 'visit.answer.yes' : 'visit.answer.no')}</Tag>
                {scheduleLabel(t, 'factor', factor)}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <Typography.Title level={5} className="visit-detail-heading">
        {t('visit.field.notes')}
      </Typography.Title>
      <Typography.Paragraph className="visit-detail-notes">{visit.notes ?? '—'}</Typography.Paragraph>

      {visit.photos.length > 0 ? (
        <div className="visit-photos" data-testid="visit-detail-photos">
          <Image.PreviewGroup>
            {visit.photos.map((photo, index) => (
              <Image key={photo.id} src={photo.url} width={76} height={76} className="visit-photo-image" alt={t('visit.photoAlt', { n: index + 1 })} />
            ))}
          </Image.PreviewGroup>
        </div>
      ) : null}

      {visit.followUps.length > 0 ? (
        <>
          <Typography.Title level={5} className="visit-detail-heading">
            {t('visit.section.followUps')}
          </Typography.Title>
          <ul className="visit-detail-list">
            {visit.followUps.map((item, index) => (
              <li key={`${item.kind}-${index}`}>
                <Tag color="blue">{visitLabel(t, 'followUp', item.kind)}</Tag>
                {item.note ?? ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <Typography.Text type="secondary" className="visit-detail-stamp">
        {t('visit.recordedAt', { at: formatDateTime(visit.createdAt) })}
        {visit.corrected ? ` · ${t('visit.correctedAt', { at: formatDateTime(visit.updatedAt) })}` : ''}
      </Typography.Text>
    </div>
  );
}

/** One visit in a drawer (full width on a phone), with "更正" while the actor may still correct it. */
export function VisitDetailDrawer({ visitId, onClose }: { visitId: string | null; onClose: () => void }) {
  const t = useT();
  const isMobile = Grid.useBreakpoint().md !== true;
  const visit = useVisit(visitId ?? undefined);
  const record = visit.data;
  return (
    <Drawer
      open={visitId !== null}
      onClose={onClose}
      width={isMobile ? '100%' : 520}
      title={record ? t('visit.detailTitle', { date: record.visitDate }) : t('visit.detailTitleLoading')}
      extra={
        record && record.correction !== 'none' ? (
          <Link to={`/visits/${record.id}/edit`}>
            <Button icon={<EditOutlined />} data-testid="visit-correct">
              {t('visit.correct')}
            </Button>
          </Link>
        ) : null
      }
      destroyOnHidden
    >
      {visit.isPending ? <Skeleton active /> : visit.isError ? <Empty description={visit.error.message} /> : <VisitBody visit={visit.data} />}
    </Drawer>
  );
}
