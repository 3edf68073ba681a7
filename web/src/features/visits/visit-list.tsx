import { CameraOutlined, RightOutlined } from '@ant-design/icons';
import { Empty, List, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ROLES } from '../../../../domain/roles.js';
import { checklistConcerns, type VisitRecord } from '../../../../domain/visits/schema.js';
import { useChildVisits } from './api.js';
import { useT, type Translate } from './strings.js';
import { roleLabel } from '../../shared/i18n/labels.js';
import { visitLabel } from '../../shared/i18n/visit-labels.js';

export function ConcernTags({ visit, t }: { visit: Pick<VisitRecord, 'checklist'>; t: Translate }) {
  // Items rated other than fine; an item not asked is no concern.
  const concerns = checklistConcerns(visit.checklist);
  if (concerns.length === 0) return <Typography.Text type="secondary">{t('visit.noConcerns')}</Typography.Text>;
  return (
    <>
      {concerns.map(({ item, rating }) => (
        <Tag key={item} color={rating === 'serious' ? 'red' : 'orange'} className="child-tag">
          {visitLabel(t, 'check', item)}
        </Tag>
      ))}
    </>
  );
}

/** The child's visits, newest first; a tap opens one. */
export function VisitList({ childId, onOpen }: { childId: string; onOpen: (visitId: string) => void }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const visits = useChildVisits(childId, page);
  if (visits.isPending) return <Skeleton active />;
  if (visits.isError) return <Empty description={visits.error.message} />;
  if (visits.data.total === 0) return <Empty description={t('visit.listEmpty')} />;
  return (
    <List
      className="visit-list"
      data-testid="visit-list"
      dataSource={visits.data.items}
      pagination={visits.data.total > visits.data.pageSize ? { current: page, pageSize: visits.data.pageSize, total: visits.data.total, onChange: setPage, size: 'small', showSizeChanger: false } : false}
      renderItem={(visit) => (
        <List.Item className="visit-list-item" data-testid="visit-row" onClick={() => onOpen(visit.id)}>
          <button type="button" className="visit-list-button" aria-label={t('visit.open', { date: visit.visitDate })}>
            <span className="visit-list-main">
              <span className="visit-list-title">
                <Typography.Text strong>{visit.visitDate}</Typography.Text>
                <Tag className="child-tag" color="cyan">
                  {visitLabel(t, 'kind', visit.kind)}
                </Tag>
                {visit.seenInPerson ? null : (
                  <Tag className="child-tag" color="gold">
                    {t('visit.notSeen')}
                  </Tag>
                )}
                {visit.corrected ? <Tag className="child-tag">{t('visit.correctedTag')}</Tag> : null}
                {visit.photos.length > 0 ? (
                  <Typography.Text type="secondary" className="visit-list-photos">
                    <CameraOutlined /> {visit.photos.length}
                  </Typography.Text>
                ) : null}
              </span>
              <Typography.Text type="secondary" className="visit-list-meta">
                {visit.visitor.name} · {roleLabelOf(t, visit.visitor.role)}
              </Typography.Text>
              <span>
                <ConcernTags visit={visit} t={t} />
              </span>
            </span>
            <RightOutlined className="child-card-arrow" />
          </button>
        </List.Item>
      )}
    />
  );
}

/** A visitor's role in words; a role the app does not know shows as its code. */
export function roleLabelOf(t: Translate, role: string): string {
  const match = ROLES.find((r) => r === role);
  return match ? roleLabel(t, match) : role;
}
