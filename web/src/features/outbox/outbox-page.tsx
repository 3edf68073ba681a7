/**
 * /outbox (issue 15 §3–4): what waits on the phone to be sent, oldest first, and what happened to
 * each item — waiting, not accepted (with the server's reason; the others went on), held because
 * the file changed meanwhile (a correction is never applied blindly: the director checks the file,
 * then applies his correction to the latest version or deletes it), delivered (with what changed
 * on the file while he was offline). A mandatory report still waiting is shown in red: the outbox
 * never replaces calling the police. A supervisor chooses here which villages the phone keeps.
 */
import { CloudUploadOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { MAX_OFFLINE_VILLAGES } from '../../../../domain/offline/schema.js';
import { useRegionDetail } from '../../shared/api/regions.js';
import { useSession } from '../../shared/api/session.js';
import { formatDateTime } from '../../shared/format.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { scheduleLabel, visitLabel } from '../../shared/i18n/visit-labels.js';
import { loadOffline, useOutboxSummary } from '../../shared/offline/bridge.js';
import { useOnline } from '../../shared/offline/offline-notice.js';
import type { FileChange, OutboxItem } from '../../shared/offline/runtime.js';
import { PageHeader } from '../../shared/page-header.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import { useT, type Translate } from './strings.js';

const STATUS_COLOR = { waiting: 'orange', refused: 'red', conflict: 'volcano', sent: 'green' } as const;

function changeText(t: Translate, change: FileChange): string {
  const risk = (v: string | null) => (v ? scheduleLabel(t, 'level', v) : t('outbox.none'));
  switch (change.what) {
    case 'risk':
      return t('outbox.change.risk', { before: risk(change.before), after: risk(change.after) });
    case 'override':
      return `${t('outbox.change.override', { before: risk(change.before), after: risk(change.after) })}${change.note ? `（${change.note}）` : ''}`;
    case 'status':
      return t('outbox.change.status', { before: enumLabel(t, 'status', change.before), after: enumLabel(t, 'status', change.after) });
    case 'region':
      return t('outbox.change.region', { after: change.after ?? '' });
    case 'nextDue':
      return t('outbox.change.nextDue', { before: change.before ?? t('outbox.none'), after: change.after ?? t('outbox.none') });
  }
}

function useOutboxItems() {
  // Re-read whenever the outbox's counts move (a send, a refusal, a new item).
  const summary = useOutboxSummary();
  return useQuery({
    queryKey: ['outbox', summary],
    queryFn: async () => (await loadOffline()).outboxItems(),
    networkMode: 'always',
  });
}

function ItemCard({ item }: { item: OutboxItem }) {
  const t = useT();
  const me = useSession();
  const { modal } = App.useApp();
  const queryClient = useQueryClient();
  const runtime = () => loadOffline();
  const payload = item.payload;
  const urgent = item.kind === 'report' && item.status === 'waiting';
  const act = (work: () => Promise<void>) => void work().then(() => queryClient.invalidateQueries({ queryKey: ['outbox'] }));
  const discard = () =>
    modal.confirm({
      title: t('outbox.discardConfirm'),
      okText: t('outbox.discard'),
      okButtonProps: { danger: true, ...{ 'data-testid': 'outbox-discard-confirm' } },
      onOk: () => act(async () => (await runtime()).discard(item.id)),
    });
  const recordLink = item.status === 'sent' && payload?.resultId ? (item.kind === 'report' ? `/reports/${payload.resultId}` : item.kind === 'visit' ? `/children/${item.childId}?tab=visits&visit=${payload.resultId}` : null) : null;
  return (
    <Card
      size="small"
      className={`outbox-item${urgent ? ' outbox-item-urgent' : ''}`}
      data-testid="outbox-item"
      data-kind={item.kind}
      data-status={item.status}
      title={
        <Space size={6} wrap>
          <Tag color={item.kind === 'report' ? 'red' : 'blue'}>{t(`outbox.kind.${item.kind}`)}</Tag>
          <span>{payload ? `${payload.childName} · ${payload.villageName}` : item.childId}</span>
        </Space>
      }
      extra={
        <Tag color={STATUS_COLOR[item.status]} data-testid="outbox-item-status">
          {t(`outbox.status.${item.status}`)}
        </Tag>
      }
    >
      <Typography.Text type="secondary" className="outbox-item-time">
        {item.status === 'sent' && item.sentAt ? t('outbox.sentAt', { time: formatDateTime(item.sentAt) }) : t('outbox.madeAt', { time: formatDateTime(item.createdAt) })}
        {item.attempts > 0 && item.status !== 'sent' ? ` · ${t('outbox.attempts', { count: item.attempts })}` : null}
      </Typography.Text>
      {urgent ? <Alert type="error" showIcon className="outbox-item-alert" message={t('outbox.reportWaiting')} /> : null}
      {item.status === 'refused' ? <Alert type="error" showIcon className="outbox-item-alert" data-testid="outbox-item-problem" message={t('outbox.refusedHelp', { reason: item.problem?.message ?? '' })} /> : null}
      {item.status === 'conflict' ? <Alert type="warning" showIcon className="outbox-item-alert" data-testid="outbox-item-problem" message={t('outbox.conflictHelp', { version: item.problem?.currentVersion ?? '?' })} /> : null}
      {item.status === 'sent' && item.kind === 'visit' ? (
        payload?.changes && payload.changes.length > 0 ? (
          <div className="outbox-item-changes" data-testid="outbox-item-changes">
            <Typography.Text strong>{t('outbox.changes')}</Typography.Text>
            <ul>
              {payload.changes.map((change) => (
                <li key={change.what}>{changeText(t, change)}</li>
              ))}
            </ul>
          </div>
        ) : (
          <Typography.Paragraph type="secondary">{t('outbox.noChanges')}</Typography.Paragraph>
        )
      ) : null}
      {item.status === 'sent' && payload?.suggestions && payload.suggestions.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          className="outbox-item-alert"
          data-testid="outbox-item-suggestions"
          message={t('outbox.suggestions')}
          description={
            <ul className="visit-suggestions">
              {payload.suggestions.map((code) => (
                <li key={code}>{visitLabel(t, 'suggest', code)}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Space wrap className="outbox-item-actions">
        {item.status === 'sent' && payload?.suggestions?.includes('mandatory_report') && me.permissions.includes('report.create') ? (
          <Link to={`/children/${item.childId}/reports/new?visitId=${payload.resultId ?? ''}`}>
            <Button size="small" danger data-testid="outbox-raise-report">
              {t('report.raise')}
            </Button>
          </Link>
        ) : item.status === 'sent' && payload?.suggestions && payload.suggestions.length > 0 && payload.referralTo && me.permissions.includes('referral.create') ? (
          <Link to={`/children/${item.childId}/referrals/new?visitId=${payload.resultId ?? ''}&organisationId=${encodeURIComponent(payload.referralTo.organisationId)}`}>
            <Button size="small" data-testid="outbox-raise-referral">
              {t('outbox.referTo', { name: payload.referralTo.name })}
            </Button>
          </Link>
        ) : null}
        {item.kind !== 'report' || item.status !== 'waiting' ? (
          <Link to={recordLink ?? `/children/${item.childId}`}>
            <Button size="small">{t(recordLink ? 'outbox.openRecord' : 'outbox.openChild')}</Button>
          </Link>
        ) : null}
        {item.status === 'refused' ? (
          <Button size="small" onClick={() => act(async () => (await runtime()).retry(item.id))} data-testid="outbox-retry">
            {t('outbox.retry')}
          </Button>
        ) : null}
        {item.status === 'conflict' ? (
          <Link to={`/children/${item.childId}/edit?outbox=${item.id}`}>
            <Button size="small" type="primary" data-testid="outbox-apply-mine">
              {t('outbox.applyMine')}
            </Button>
          </Link>
        ) : null}
        {item.status === 'sent' ? (
          <Button size="small" onClick={() => act(async () => (await runtime()).discard(item.id))} data-testid="outbox-dismiss">
            {t('outbox.dismiss')}
          </Button>
        ) : (
          <Button size="small" danger onClick={discard} data-testid="outbox-discard">
            {t('outbox.discard')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

/** A supervisor's (or anyone's above a village) choice of villages to keep on the phone. */
/** A chosen village by its name (the copy's, else the server's). */
function VillageName({ code, kept }: { code: string; kept: string | undefined }) {
  const detail = useRegionDetail(kept === undefined ? code : undefined);
  return <>{kept ?? detail.data?.name ?? code}</>;
}

function VillagePicker({ initial, names }: { initial: string[]; names: Map<string, string> }) {
  const t = useT();
  const { message } = App.useApp();
  const [codes, setCodes] = useState(initial);
  const [saving, setSaving] = useState(false);
  return (
    <Card size="small" title={t('outbox.villages')} data-testid="outbox-villages">
      <Space direction="vertical" className="outbox-villages">
        {codes.map((code) => (
          <Tag key={code} closable onClose={() => setCodes(codes.filter((c) => c !== code))} data-testid="outbox-village">
            <VillageName code={code} kept={names.get(code)} />
          </Tag>
        ))}
        {codes.length < MAX_OFFLINE_VILLAGES ? (
          <RegionTreeSelect level="village" placeholder={t('outbox.villagesAdd')} onChange={(code) => code && !codes.includes(code) && setCodes([...codes, code])} />
        ) : (
          <Typography.Text type="secondary">{t('outbox.villagesMax', { max: MAX_OFFLINE_VILLAGES })}</Typography.Text>
        )}
        <Button
          type="primary"
          loading={saving}
          data-testid="outbox-villages-save"
          onClick={() => {
            setSaving(true);
            void loadOffline()
              .then((runtime) => runtime.chooseVillages(codes))
              .then(() => message.success(t('outbox.villagesSaved')))
              .finally(() => setSaving(false));
          }}
        >
          {t('outbox.villagesSave')}
        </Button>
      </Space>
    </Card>
  );
}

export function OutboxPage() {
  const t = useT();
  const me = useSession();
  const online = useOnline();
  const summary = useOutboxSummary();
  const items = useOutboxItems();
  const kept = useQuery({ queryKey: ['outbox', 'villages', summary?.generatedAt ?? null], queryFn: async () => (await loadOffline()).keptVillageCodes(), networkMode: 'always' });
  const keptNames = useQuery({ queryKey: ['outbox', 'village-names', summary?.generatedAt ?? null], queryFn: async () => new Map((await (await loadOffline()).keptVillageRefs()).map((v) => [v.code, v.name])), networkMode: 'always' });
  const director = me.scope.region.level === 'village';
  const list = items.data ?? [];
  return (
    <div className="outbox-page">
      <PageHeader
        title={t('outbox.title')}
        extra={
          <Button icon={<CloudUploadOutlined />} disabled={!online} loading={summary?.syncing} onClick={() => void loadOffline().then((runtime) => runtime.syncNow())} data-testid="outbox-sync">
            {t('outbox.syncNow')}
          </Button>
        }
      />
      {summary && summary.reportsWaiting > 0 ? (
        <Alert type="error" showIcon icon={<ExclamationCircleOutlined />} className="outbox-call-110" data-testid="outbox-call-110" message={t('outbox.call110', { count: summary.reportsWaiting })} />
      ) : null}
      {online ? null : <Alert type="warning" showIcon message={t('outbox.offline')} className="outbox-alert" />}
      <Typography.Paragraph type="secondary" data-testid="outbox-kept">
        {summary?.generatedAt ? t('outbox.kept', { villages: kept.data?.length ?? 0, time: formatDateTime(summary.generatedAt) }) : t(director ? 'outbox.keptNone' : 'outbox.keptNoneSupervisor')}
      </Typography.Paragraph>
      <div className="outbox-items" data-testid="outbox-items">
        {list.length === 0 && !items.isPending ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('outbox.empty')} /> : null}
        {list.map((item) => (
          <ItemCard key={item.id} item={item} />
        ))}
      </div>
      {director || !kept.data ? null : <VillagePicker key={kept.data.join()} initial={kept.data} names={keptNames.data ?? new Map<string, string>()} />}
    </div>
  );
}
