import { AlertOutlined, ArrowLeftOutlined, EditOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Grid, Image, Input, List, Modal, Radio, Result, Skeleton, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ChildCategories, ChildDetail, ParentRecord } from '../../../../domain/children/schema.js';
import { isApiError } from '../../shared/api/client.js';
import { useChild, useChildHistory, useOverrideCategory, type ChildCategory } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { OrderAddButton } from '../orders/public.js';
import { ChildActions } from './child-actions.js';
import { MissingFactsAlert } from './child-category-summary.js';
import { ChildLettersCard } from '../letters/public.js';
import { ChildPhoto } from './child-photo.js';
import { ChildScheduleCard, VisitDetailDrawer, VisitList } from '../visits/public.js';
import { ChildTimeline } from './child-timeline.js';
import { CategoryTags, ChildStatusTag, RiskTag } from './child-tags.js';
import { formatDateTime, regionPathLabel } from '../../shared/format.js';
import { RevealNumber } from './reveal-number.js';
import { useUrlParams } from '../../shared/url-params.js';
import { useT, type MessageKey, type Translate } from './strings.js';
import { categoryReasonLabel, enumLabel, historyActionLabel, historyFieldLabel, historyValueLabel } from '../../shared/i18n/child-labels.js';
import { hasPermission } from '../../shared/feature.js';

const TABS = ['basic', 'visits', 'timeline', 'family', 'school', 'categories', 'history'] as const;
type Tab = (typeof TABS)[number];

const text = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? '—' : value);

function yesNo(t: Translate, value: boolean | null): string {
  return value === null ? t('child.unknown') : t(value ? 'child.yes' : 'child.no');
}

/** A photo in the history: a thumbnail of the file it pointed to. */
function PhotoValue({ value }: { value: unknown }) {
  const t = useT();
  return typeof value === 'string' ? <Image src={`/api/files/${value}`} width={40} height={40} alt={t('field.photo')} /> : <Typography.Text type="secondary">{t('child.empty')}</Typography.Text>;
}

function BasicTab({ child }: { child: ChildDetail }) {
  const t = useT();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }} bordered className="child-descriptions">
      <Descriptions.Item label={t('field.name')}>{child.name}</Descriptions.Item>
      <Descriptions.Item label={t('field.sex')}>{enumLabel(t, 'sex', child.sex)}</Descriptions.Item>
      <Descriptions.Item label={t('field.birthDate')}>
        {child.birthDate}（{t('child.ageYears', { age: child.age })}）
      </Descriptions.Item>
      <Descriptions.Item label={t('field.idNumber')}>
        <RevealNumber childId={child.id} field="idNumber" masked={child.idNumberMasked} testId="child-id-number" />
      </Descriptions.Item>
      <Descriptions.Item label={t('field.ethnicity')}>{child.ethnicity}</Descriptions.Item>
      <Descriptions.Item label={t('field.hukouType')}>{enumLabel(t, 'hukou', child.hukouType)}</Descriptions.Item>
      <Descriptions.Item label={t('field.hukouPlace')}>{text(child.hukouPlace)}</Descriptions.Item>
      <Descriptions.Item label={t('field.regionCode')}>{regionPathLabel(child.path)}</Descriptions.Item>
      <Descriptions.Item label={t('field.address')}>{text(child.address)}</Descriptions.Item>
      <Descriptions.Item label={t('children.col.agingOut')}>{child.agingOutDate}</Descriptions.Item>
      <Descriptions.Item label={t('field.notes')}>{text(child.notes)}</Descriptions.Item>
    </Descriptions>
  );
}

function ParentCard({ child, role, parent }: { child: ChildDetail; role: 'father' | 'mother'; parent: ParentRecord }) {
  const t = useT();
  const away = parent.status === 'working_away';
  return (
    <Card size="small" title={enumLabel(t, 'parentRole', role)} className="child-subcard">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('field.parent.status')}>
          <Tag>{enumLabel(t, 'parentStatus', parent.status)}</Tag>
          {parent.disability ? `${enumLabel(t, 'disability', parent.disability.type)} ${t('child.disabilityGrade', { grade: parent.disability.grade })}` : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.parent.name')}>{text(parent.name)}</Descriptions.Item>
        <Descriptions.Item label={t('field.parent.idNumber')}>
          <RevealNumber childId={child.id} field={`${role}.idNumber`} masked={parent.idNumber} />
        </Descriptions.Item>
        <Descriptions.Item label={t('field.parent.phone')}>
          <RevealNumber childId={child.id} field={`${role}.phone`} masked={parent.phone} />
        </Descriptions.Item>
        {parent.since ? <Descriptions.Item label={t(away ? 'field.parent.sinceAway' : 'field.parent.since')}>{parent.since}</Descriptions.Item> : null}
        {away && parent.sinceUnknown ? (
          <Descriptions.Item label={t('field.parent.sinceAway')}>
            <span data-testid={`${role}-since-unknown`}>{t('childPage.sinceUnknown', { by: parent.sinceStatedBy ?? '—' })}</span>
          </Descriptions.Item>
        ) : null}
        {parent.until ? <Descriptions.Item label={t('field.parent.until')}>{parent.until}</Descriptions.Item> : null}
        {away ? (
          <>
            <Descriptions.Item label={t('field.parent.workCity')}>
              {[parent.workProvince, parent.workCity].filter(Boolean).join(' ') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('field.parent.employer')}>{text(parent.employer)}</Descriptions.Item>
            <Descriptions.Item label={t('field.parent.workAwayCrossesCounty')}>{yesNo(t, parent.workAwayCrossesCounty)}</Descriptions.Item>
          </>
        ) : null}
        {parent.skills.length > 0 ? <Descriptions.Item label={t('field.parent.skills')}>{parent.skills.join('、')}</Descriptions.Item> : null}
        <Descriptions.Item label={t('field.parent.wantsLocalWork')}>{yesNo(t, parent.wantsLocalWork)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function FamilyTab({ child }: { child: ChildDetail }) {
  const t = useT();
  const c = child.caregiver;
  return (
    <div className="child-family">
      <ParentCard child={child} role="father" parent={child.father} />
      <ParentCard child={child} role="mother" parent={child.mother} />
      <Card size="small" title={t('childForm.section.caregiver')} className="child-subcard">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('field.caregiver.kind')}>{enumLabel(t, 'caregiverKind', c.kind)}</Descriptions.Item>
          <Descriptions.Item label={t('field.caregiver.name')}>{text(c.name)}</Descriptions.Item>
          <Descriptions.Item label={t('field.caregiver.relation')}>{text(c.relation)}</Descriptions.Item>
          <Descriptions.Item label={t('field.caregiver.phone')}>
            <RevealNumber childId={child.id} field="caregiver.phone" masked={c.phone} />
          </Descriptions.Item>
          <Descriptions.Item label={t('field.caregiver.age')}>{c.age ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.caregiver.health')}>{enumLabel(t, 'capacity', c.health)}</Descriptions.Item>
          <Descriptions.Item label={t('field.caregiver.capacity')}>{enumLabel(t, 'capacity', c.capacity)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('childForm.section.support')} className="child-subcard">
        <Space wrap>
          {(['dibao', 'tekun', 'temporaryRelief', 'orphanAllowance'] as const).filter((key) => child.support[key]).map((key) => (
            <Tag key={key} color="blue">
              {t(`child.support.${key}`)}
            </Tag>
          ))}
          {Object.values(child.support).some(Boolean) ? null : <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
        </Space>
      </Card>
      <Card size="small" title={t('childForm.section.guardianship')} className="child-subcard">
        <Space wrap>
          {(['abuse', 'abandonment', 'improperCare'] as const).filter((key) => child.guardianship[key]).map((key) => (
            <Tag key={key} color="red">
              {t(`child.guardianship.${key}`)}
            </Tag>
          ))}
          {child.temporaryDistress ? <Tag color="orange">{t('child.temporaryDistress')}</Tag> : null}
          {Object.values(child.guardianship).some(Boolean) || child.temporaryDistress ? null : (
            <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
          )}
        </Space>
      </Card>
    </div>
  );
}

function SchoolHealthTab({ child }: { child: ChildDetail }) {
  const t = useT();
  const { schooling, health } = child;
  return (
    <div className="child-family">
      <Card size="small" title={t('childForm.section.schooling')} className="child-subcard">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('field.schooling.status')}>{enumLabel(t, 'school', schooling.status)}</Descriptions.Item>
          <Descriptions.Item label={t('field.schooling.school')}>{text(schooling.school)}</Descriptions.Item>
          <Descriptions.Item label={t('field.schooling.grade')}>{text(schooling.grade)}</Descriptions.Item>
          <Descriptions.Item label={t('field.schooling.className')}>{text(schooling.className ?? null)}</Descriptions.Item>
          <Descriptions.Item label={t('field.schooling.boarding')}>{yesNo(t, schooling.boarding)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('childForm.section.health')} className="child-subcard">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('field.health.status')}>{enumLabel(t, 'health', health.status)}</Descriptions.Item>
          {health.illness ? <Descriptions.Item label={t('field.health.illness')}>{health.illness}</Descriptions.Item> : null}
          {health.disability ? (
            <Descriptions.Item label={t('field.health.disability')}>
              {enumLabel(t, 'disability', health.disability.type)} {t('child.disabilityGrade', { grade: health.disability.grade })}
            </Descriptions.Item>
          ) : null}
          {health.certificate ? <Descriptions.Item label={t('field.health.certificate')}>{health.certificate}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
    </div>
  );
}

const CATEGORY_ROWS: { key: keyof ChildCategories; category: ChildCategory; label: MessageKey }[] = [
  { key: 'leftBehind', category: 'left_behind', label: 'child.category.left_behind' },
  { key: 'distress', category: 'distress', label: 'child.category.distress' },
  { key: 'unsupported', category: 'unsupported', label: 'child.category.unsupported' },
];

function OverrideModal({ child, row, onClose }: { child: ChildDetail; row: (typeof CATEGORY_ROWS)[number] | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const override = useOverrideCategory();
  const [form] = Form.useForm<{ value: 'yes' | 'no' | 'clear'; reason: string }>();
  const submit = (values: { value: 'yes' | 'no' | 'clear'; reason: string }) => {
    if (!row) return;
    override.mutate(
      { id: child.id, category: row.category, value: values.value === 'clear' ? null : values.value === 'yes', reason: values.reason.trim() },
      {
        onSuccess: () => {
          void message.success(t('childPage.overrideDone'));
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: ['reason'] }),
      },
    );
  };
  return (
    <Modal
      open={row !== null}
      title={row ? t('childPage.overrideTitle', { category: t(row.label) }) : null}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: override.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="value" label={t('childPage.overrideValue')} rules={[{ required: true, message: t('childPage.overrideValue') }]}>
          <Radio.Group
            options={[
              { value: 'yes', label: t('childPage.overrideYes') },
              { value: 'no', label: t('childPage.overrideNo') },
              ...(row && child.categories[row.key].override ? [{ value: 'clear', label: t('childPage.overrideClear') }] : []),
            ]}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('childPage.overrideReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('childPage.overrideReasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CategoriesTab({ child }: { child: ChildDetail }) {
  const t = useT();
  const me = useSession();
  const [editing, setEditing] = useState<(typeof CATEGORY_ROWS)[number] | null>(null);
  const canOverride = hasPermission(me, 'child.override') && ['pending', 'returned', 'active'].includes(child.status);
  const belongs = (value: boolean) => t(value ? 'childPage.belongs' : 'childPage.notBelongs');
  return (
    <div className="child-family" data-testid="child-categories">
      <MissingFactsAlert child={child} className="child-subcard" />
      {CATEGORY_ROWS.map((row) => {
        const state = child.categories[row.key];
        return (
          <Card
            key={row.key}
            size="small"
            className="child-subcard"
            title={
              <Space>
                <span>{t(row.label)}</span>
                <Tag color={state.value ? 'green' : 'default'}>{belongs(state.value)}</Tag>
              </Space>
            }
            extra={
              canOverride ? (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(row)}>
                  {t('childPage.override')}
                </Button>
              ) : null
            }
          >
            <Typography.Paragraph className="child-category-line">{t('childPage.category.derived', { value: belongs(state.derived) })}</Typography.Paragraph>
            {state.override ? (
              <Alert
                type="warning"
                showIcon
                className="child-category-line"
                message={t('childPage.category.override', { value: belongs(state.override.value), by: state.override.by, at: formatDateTime(state.override.at) })}
                description={t('childPage.category.overrideReason', { reason: state.override.reason })}
              />
            ) : null}
            {row.key === 'distress' && child.categories.distress.kinds.length > 0 ? (
              <Typography.Paragraph className="child-category-line">
                {t('childPage.category.kinds', { kinds: child.categories.distress.kinds.map((kind) => enumLabel(t, 'distressKind', kind)).join('、') })}
              </Typography.Paragraph>
            ) : null}
            <Typography.Text type="secondary">{t(state.derived ? 'childPage.category.reasonsHeld' : 'childPage.category.reasonsFailed')}</Typography.Text>
            <ul className="child-reasons">
              {state.reasons.map((reason, index) => (
                <li key={`${reason.code}-${index}`}>{categoryReasonLabel(t, reason)}</li>
              ))}
            </ul>
          </Card>
        );
      })}
      <OverrideModal child={child} row={editing} onClose={() => setEditing(null)} />
    </div>
  );
}

function HistoryTab({ child }: { child: ChildDetail }) {
  const t = useT();
  const history = useChildHistory(child.id, true);
  if (history.isPending) return <Skeleton active />;
  if (history.isError) return <Empty description={history.error.message} />;
  if (history.data.items.length === 0) return <Empty description={t('childPage.history.empty')} />;
  const regionName = (code: string) => child.path.find((region) => region.code === code)?.name;
  return (
    <Timeline
      className="child-history"
      data-testid="child-history"
      items={history.data.items.map((entry) => ({
        key: entry.id,
        children: (
          <div className="child-history-entry">
            <div className="child-history-head">
              <Typography.Text strong>{historyActionLabel(t, entry.action)}</Typography.Text>
              <Typography.Text type="secondary">
                {entry.actorName ?? t('childPage.history.system')} · {formatDateTime(entry.at)}
              </Typography.Text>
            </div>
            {entry.comment ? <Typography.Text>{t('childPage.history.comment', { comment: entry.comment })}</Typography.Text> : null}
            {entry.action === 'register' ? null : (
              <List
                size="small"
                split={false}
                dataSource={entry.changes}
                renderItem={(change) => (
                  <List.Item className="child-history-change">
                    <Typography.Text type="secondary">{historyFieldLabel(t, change.field)}：</Typography.Text>
                    <span className="child-history-values">
                      {change.field === 'photo' ? (
                        <>
                          <PhotoValue value={change.from} />
                          {' → '}
                          <PhotoValue value={change.to} />
                        </>
                      ) : (
                        <>
                          <Typography.Text delete type="secondary">
                            {historyValueLabel(t, change.field, change.from, regionName)}
                          </Typography.Text>
                          {' → '}
                          <Typography.Text>{historyValueLabel(t, change.field, change.to, regionName)}</Typography.Text>
                        </>
                      )}
                    </span>
                  </List.Item>
                )}
              />
            )}
          </div>
        ),
      }))}
    />
  );
}

function StatusAlert({ child }: { child: ChildDetail }) {
  const t = useT();
  const comment = child.reviewComment ? t('childPage.reviewComment', { comment: child.reviewComment }) : undefined;
  const reason = `${enumLabel(t, 'closeReason', child.closeReason)}${child.closeNote ? `，${child.closeNote}` : ''}`;
  switch (child.status) {
    case 'pending':
      return <Alert type="info" showIcon message={t('childPage.pendingHint')} description={comment} className="child-status-alert" />;
    case 'returned':
      return <Alert type="warning" showIcon message={t('childPage.returnedHint')} description={comment} className="child-status-alert" data-testid="review-comment" />;
    case 'closing':
      return <Alert type="warning" showIcon message={t('childPage.closingHint', { reason })} className="child-status-alert" />;
    case 'closed':
      return <Alert type="info" showIcon message={t('childPage.closedHint', { reason })} description={comment} className="child-status-alert" />;
    case 'active':
      return comment ? <Alert type="success" showIcon message={comment} className="child-status-alert" data-testid="review-comment" /> : null;
  }
}

export function ChildPage() {
  const t = useT();
  const { id } = useParams();
  const navigate = useNavigate();
  const child = useChild(id);
  const session = useSession();
  const isMobile = Grid.useBreakpoint().md !== true;
  const [params, update] = useUrlParams();
  const tabParam = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as Tab) : 'basic';

  if (child.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }
  if (child.isError) {
    return (
      <Result
        status={isApiError(child.error) && child.error.status === 404 ? '404' : 'warning'}
        title={t('childPage.notFound')}
        subTitle={child.error.message}
        extra={<Button onClick={() => void navigate('/children')}>{t('childPage.backToList')}</Button>}
      />
    );
  }
  const c = child.data;
  const canEditPhoto = hasPermission(session, 'child.update') && ['pending', 'returned', 'active'].includes(c.status);
  const openVisit = (visitId: string) => update({ visit: visitId });
  return (
    <div className="child-page">
      <Link to="/children" className="child-back">
        <ArrowLeftOutlined /> {t('childPage.backToList')}
      </Link>
      <Card size="small" className="child-header">
        <div className="child-header-row">
          <ChildPhoto child={c} editable={canEditPhoto} />
          <div className="child-header-main">
            <Typography.Title level={4} className="child-header-name" data-testid="child-name">
              {c.name}
            </Typography.Title>
            <Space size={4} wrap>
              <ChildStatusTag status={c.status} />
              <CategoryTags leftBehind={c.leftBehind} distress={c.distress} unsupported={c.unsupported} />
              <RiskTag risk={c.riskLevel} withLabel />
            </Space>
            <Typography.Text type="secondary" className="child-header-meta">
              {enumLabel(t, 'sex', c.sex)} · {t('child.ageYears', { age: c.age })} · {c.region.name} · {t('childPage.agingOut', { date: c.agingOutDate })}
            </Typography.Text>
          </div>
          <ChildActions child={c} mode="full" />
        </div>
        <StatusAlert child={c} />
        {c.status !== 'closed' ? <MissingFactsAlert child={c} className="child-status-alert" /> : null}
      </Card>
      {c.schedule ? (
        <ChildScheduleCard
          childId={c.id}
          schedule={c.schedule}
          canRecord={hasPermission(session, 'visit.record') && c.status === 'active'}
          canOverride={hasPermission(session, 'risk.override') && c.status === 'active'}
        />
      ) : null}
      {hasPermission(session, 'letter.read') && c.status !== 'closed' ? (
        <div id="letters">
          <ChildLettersCard child={c} />
        </div>
      ) : null}
      {hasPermission(session, 'report.create') && c.status === 'active' ? (
        <Link to={`/children/${c.id}/reports/new`} className="child-report-link">
          <Button danger size="large" block icon={<AlertOutlined />} data-testid="raise-report">
            {t('report.raise')}
          </Button>
        </Link>
      ) : null}
      {hasPermission(session, 'referral.create') && c.status === 'active' ? (
        <Link to={`/children/${c.id}/referrals/new`} className="child-report-link">
          <Button size="large" block icon={<SendOutlined />} data-testid="raise-referral">
            {t('referral.raise')}
          </Button>
        </Link>
      ) : null}
      {hasPermission(session, 'order.record') && c.status === 'active' ? <OrderAddButton childId={c.id} /> : null}
      <Card size="small" className="child-tabs-card">
        <Tabs
          activeKey={tab}
          size={isMobile ? 'small' : 'middle'}
          tabBarGutter={isMobile ? 14 : undefined}
          onChange={(key) => update({ tab: key === 'basic' ? undefined : key })}
          items={[
            { key: 'basic', label: t('childPage.tab.basic'), children: <BasicTab child={c} /> },
            { key: 'visits', label: t('visit.tab'), children: <VisitList childId={c.id} onOpen={openVisit} /> },
            { key: 'timeline', label: t('timeline.tab'), children: <ChildTimeline childId={c.id} onOpenVisit={openVisit} /> },
            { key: 'family', label: t('childPage.tab.family'), children: <FamilyTab child={c} /> },
            { key: 'school', label: t('childPage.tab.schoolHealth'), children: <SchoolHealthTab child={c} /> },
            { key: 'categories', label: t('childPage.tab.categories'), children: <CategoriesTab child={c} /> },
            { key: 'history', label: t('childPage.tab.history'), children: <HistoryTab child={c} /> },
          ]}
        />
      </Card>
      <VisitDetailDrawer visitId={params.get('visit')} onClose={() => update({ visit: undefined })} />
    </div>
  );
}
