/**
 * One key verification campaign (重点核查): its checklist and period, the
 * progress of the user's part of it per township or village (drill down by
 * clicking), the task list with a one-tap "verify" for the village director,
 * and for the admin who opened it: close (with the report) and export.
 */
import { CheckCircleOutlined, DownloadOutlined, LeftOutlined, StopOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Grid, List, Result, Segmented, Skeleton, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isRegionCode } from '../../../../domain/regions.js';
import type { CampaignDetail, CampaignProgress, CampaignTaskRow } from '../../../../domain/visits/schema.js';
import { downloadCampaignExport, useCampaign, useCampaignTasks, useCloseCampaign } from './api.js';
import { isApiError } from '../../shared/api/client.js';
import { useSession } from '../../shared/api/session.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';
import { PageHeader } from '../../shared/page-header.js';
import { positiveIntParam, useUrlParams } from '../../shared/url-params.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useT } from './strings.js';
import { levelLabel } from '../../shared/i18n/labels.js';
import { hasPermission } from '../../shared/feature.js';
import { CampaignStatusTag, TaskProgress, categoriesText } from './campaigns-page.js';

type TaskStatus = CampaignTaskRow['status'];

/** The visit form that completes a task (features/visits). */
const verifyPath = (task: CampaignTaskRow) => `/children/${task.childId}/visits/new?task=${encodeURIComponent(task.id)}`;

function TaskStatusTag({ task, campaignOpen }: { task: CampaignTaskRow; campaignOpen: boolean }) {
  const t = useT();
  if (task.status === 'done') {
    return (
      <Tag color="success" icon={<CheckCircleOutlined />}>
        {t('campaign.task.done')}
      </Tag>
    );
  }
  return campaignOpen ? <Tag color="warning">{t('campaign.task.open')}</Tag> : <Tag icon={<StopOutlined />}>{t('campaign.task.notDone')}</Tag>;
}

function TaskCard({ task, campaignOpen, canVerify }: { task: CampaignTaskRow; campaignOpen: boolean; canVerify: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <div className="campaign-task-card" data-testid="campaign-task">
      <div className="campaign-task-main">
        <Link to={`/children/${task.childId}`} className="campaign-task-name">
          {task.childName}
        </Link>
        <Typography.Text type="secondary">
          {task.township} · {task.region.name}
        </Typography.Text>
        <div>
          <TaskStatusTag task={task} campaignOpen={campaignOpen} />
          {task.status === 'done' && task.problems > 0 ? <Tag color="red">{t('campaign.tasks.problems')} {task.problems}</Tag> : null}
        </div>
      </div>
      {canVerify && campaignOpen && task.status === 'open' ? (
        <Button type="primary" size="large" onClick={() => void navigate(verifyPath(task))} data-testid="campaign-verify">
          {t('campaign.task.verify')}
        </Button>
      ) : null}
    </div>
  );
}

function Stats({ campaign }: { campaign: CampaignDetail }) {
  const t = useT();
  const rate = campaign.tasks === 0 ? 0 : Math.floor((campaign.done / campaign.tasks) * 100);
  return (
    <div className="campaign-stats" data-testid="campaign-stats">
      <Statistic title={t('campaign.stat.tasks')} value={campaign.tasks} />
      <Statistic title={t('campaign.stat.done')} value={campaign.done} />
      <Statistic title={t('campaign.stat.notDone')} value={campaign.tasks - campaign.done} />
      <Statistic title={t('campaign.stat.problems')} value={campaign.problems} valueStyle={campaign.problems > 0 ? { color: '#cf1322' } : undefined} />
      <Statistic title={t('campaign.stat.rate')} value={campaign.tasks === 0 ? '—' : `${rate}%`} data-testid="campaign-rate" />
    </div>
  );
}

export function CampaignPage() {
  const t = useT();
  const me = useSession();
  const { id = '' } = useParams();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md !== true;
  const { message, modal } = App.useApp();
  const showError = useShowApiError();
  const [params, update] = useUrlParams();
  const regionParam = params.get('region');
  const region = regionParam && isRegionCode(regionParam) ? regionParam : undefined;
  const statusParam = params.get('status');
  const status: TaskStatus | undefined = statusParam === 'open' || statusParam === 'done' ? statusParam : undefined;
  const page = positiveIntParam(params.get('page'), 1);
  const pageSize = positiveIntParam(params.get('pageSize'), 20, 200);

  const detail = useCampaign(id, region);
  const tasks = useCampaignTasks(id, { status, region, page, pageSize });
  const close = useCloseCampaign(id);
  const [exporting, setExporting] = useState(false);

  if (detail.isError) {
    const missing = isApiError(detail.error) && detail.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '404' : t('common.loadFailed')}
        subTitle={missing ? t('common.notFound') : detail.error.message}
        extra={
          <Link to="/campaigns">
            <Button type="primary">{t('campaign.back')}</Button>
          </Link>
        }
      />
    );
  }
  const campaign = detail.data;
  if (!campaign) return <Skeleton active paragraph={{ rows: 8 }} />;

  const open = campaign.status === 'open';
  // Those who visit in the field (directors, and supervisors standing in for a missing one) verify; offices follow.
  const canVerify = hasPermission(me, 'visit.record') && (me.scope.region.level === 'village' || me.scope.region.level === 'township');
  // A director's own village: the stats above say it all, a one-row table would repeat them.
  const showProgress = !(campaign.progressPath.length === 1 && campaign.progressRegion.level === 'village');
  const rowLevel = campaign.progress[0]?.region.level;
  const viewRoot = campaign.progressPath[0];
  const partial = viewRoot !== undefined && viewRoot.code !== campaign.region.code;
  const drillTo = (code: string) => update({ region: code === viewRoot?.code ? undefined : code, page: undefined });

  const onExport = async () => {
    setExporting(true);
    try {
      await downloadCampaignExport(campaign.id, region);
    } catch (error) {
      showError(error);
    } finally {
      setExporting(false);
    }
  };

  const onClose = () => {
    modal.confirm({
      title: t('campaign.close.title', { name: campaign.name }),
      content: t('campaign.close.body', { done: campaign.done, tasks: campaign.tasks, notDone: campaign.tasks - campaign.done }),
      okText: t('campaign.close.ok'),
      okButtonProps: { danger: true, 'data-testid': 'campaign-close-ok' },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await close.mutateAsync();
          void message.success(t('campaign.close.done'));
        } catch (error) {
          showError(error);
        }
      },
    });
  };

  const progressColumns: TableColumnsType<CampaignProgress> = [
    {
      title: rowLevel ? levelLabel(t, rowLevel) : t('campaign.progress.region'),
      key: 'region',
      render: (_: unknown, row) =>
        row.region.code === campaign.progressRegion.code ? (
          row.region.name
        ) : (
          <Typography.Link onClick={() => drillTo(row.region.code)} data-testid="campaign-progress-region">
            {row.region.name}
          </Typography.Link>
        ),
    },
    ...(isMobile ? [] : [{ title: t('campaign.stat.tasks'), dataIndex: 'tasks', align: 'right' as const }, { title: t('campaign.stat.done'), dataIndex: 'done', align: 'right' as const }]),
    { title: t('campaign.col.progress'), key: 'progress', width: isMobile ? 150 : 260, render: (_: unknown, row) => <TaskProgress done={row.done} tasks={row.tasks} size="small" /> },
    {
      title: t('campaign.stat.problems'),
      dataIndex: 'problems',
      align: 'right',
      render: (problems: number) => (problems > 0 ? <Typography.Text type="danger">{problems}</Typography.Text> : problems),
    },
  ];

  const taskColumns: RecordColumn<CampaignTaskRow>[] = [
    { title: t('campaign.tasks.child'), dataIndex: 'childName', render: (name: string, task) => <Link to={`/children/${task.childId}`}>{name}</Link> },
    { title: t('campaign.tasks.village'), key: 'village', render: (_: unknown, task) => `${task.township} · ${task.region.name}` },
    { title: t('campaign.tasks.status'), dataIndex: 'status', render: (_: unknown, task) => <TaskStatusTag task={task} campaignOpen={open} /> },
    { title: t('campaign.tasks.doneAt'), dataIndex: 'doneAt', render: (at: string | null) => formatDateTime(at) },
    {
      title: t('campaign.tasks.problems'),
      dataIndex: 'problems',
      align: 'right',
      render: (problems: number, task) => (task.status !== 'done' ? '—' : problems > 0 ? <Typography.Text type="danger">{problems}</Typography.Text> : problems),
    },
    ...(canVerify && open
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, task: CampaignTaskRow) =>
              task.status === 'open' ? (
                <Link to={verifyPath(task)} data-testid="campaign-verify">
                  {t('campaign.task.verify')}
                </Link>
              ) : null,
          },
        ]
      : []),
  ];

  const emptyTasks = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('campaign.tasks.empty')} />;

  return (
    <div className="campaign-page">
      <Link to="/campaigns" className="campaign-back">
        <LeftOutlined /> {t('campaign.back')}
      </Link>
      <PageHeader
        title={
          <span data-testid="campaign-title">
            {campaign.name} <CampaignStatusTag status={campaign.status} />
          </span>
        }
        extra={
          <Space wrap>
            {hasPermission(me, 'child.export') ? (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void onExport()} data-testid="campaign-export">
                {t('campaign.export')}
              </Button>
            ) : null}
            {campaign.canClose ? (
              <Button danger icon={<StopOutlined />} loading={close.isPending} onClick={onClose} data-testid="campaign-close">
                {t('campaign.close')}
              </Button>
            ) : null}
          </Space>
        }
      />

      <Card size="small" className="campaign-section">
        <Descriptions size="small" column={isMobile ? 1 : 3}>
          <Descriptions.Item label={t('campaign.col.region')}>{campaign.region.name}</Descriptions.Item>
          <Descriptions.Item label={t('campaign.col.period')}>
            {campaign.startDate} ~ {campaign.endDate}
          </Descriptions.Item>
          <Descriptions.Item label={t('campaign.col.categories')}>{categoriesText(t, campaign.categories)}</Descriptions.Item>
          <Descriptions.Item label={t('campaign.detail.createdBy')}>
            {campaign.createdBy ?? '—'} · {formatDateTime(campaign.createdAt)}
          </Descriptions.Item>
          {campaign.closedAt ? <Descriptions.Item label={t('campaign.detail.closedAt')}>{formatDateTime(campaign.closedAt)}</Descriptions.Item> : null}
          <Descriptions.Item label={t('campaign.detail.checklist')} span={isMobile ? 1 : 3}>
            <ol className="campaign-checklist">
              {campaign.checklist.map((item) => (
                <li key={item.key}>{item.label}</li>
              ))}
            </ol>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card size="small" className="campaign-section">
        {partial ? (
          <Typography.Paragraph type="secondary" className="campaign-part">
            {t('campaign.detail.yourPart', { region: viewRoot.name })}
          </Typography.Paragraph>
        ) : null}
        <Stats campaign={campaign} />
        <TaskProgress done={campaign.done} tasks={campaign.tasks} />
        {campaign.movedAway ? (
          <Typography.Paragraph type="secondary" className="campaign-part" data-testid="campaign-moved-away">
            {t('campaign.detail.movedAway', { count: campaign.movedAway })}
          </Typography.Paragraph>
        ) : null}
      </Card>

      {campaign.summary ? (
        <Card size="small" className="campaign-section" title={t('campaign.summary.title')} data-testid="campaign-summary">
          <Typography.Paragraph type="secondary">{t('campaign.summary.closedBy', { by: campaign.summary.closedBy ?? '—', at: formatDateTime(campaign.summary.closedAt) })}</Typography.Paragraph>
          <Typography.Text strong>{t('campaign.summary.items')}</Typography.Text>
          <List
            size="small"
            dataSource={campaign.summary.items}
            renderItem={(item) => (
              <List.Item key={item.key} extra={<Typography.Text type={item.problems > 0 ? 'danger' : 'secondary'}>{t('campaign.summary.people', { count: item.problems })}</Typography.Text>}>
                {item.label}
              </List.Item>
            )}
          />
        </Card>
      ) : null}

      {showProgress ? (
        <Card size="small" className="campaign-section" title={t('campaign.progress.title')}>
          {campaign.progressPath.length > 1 ? (
            <Breadcrumb
              className="campaign-breadcrumb"
              data-testid="campaign-breadcrumb"
              items={campaign.progressPath.map((p, index) => ({
                key: p.code,
                title: index === campaign.progressPath.length - 1 ? p.name : <Typography.Link onClick={() => drillTo(p.code)}>{p.name}</Typography.Link>,
              }))}
            />
      ) : null}
        <Table<CampaignProgress>
          data-testid="campaign-progress-table"
          rowKey={(row) => row.region.code}
          size="small"
          loading={detail.isFetching}
          columns={progressColumns}
          dataSource={campaign.progress}
          pagination={campaign.progress.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('campaign.progress.empty')} /> }}
        />
      </Card>
      ) : null}

      <Card size="small" className="campaign-section" title={t('campaign.tasks.title')}>
        <Segmented<string>
          className="campaign-task-filter"
          value={status ?? 'all'}
          onChange={(value) => update({ status: value === 'all' ? undefined : value, page: undefined })}
          options={[
            { value: 'all', label: t('campaign.filter.all') },
            { value: 'open', label: open ? t('campaign.task.open') : t('campaign.task.notDone') },
            { value: 'done', label: t('campaign.task.done') },
          ]}
          data-testid="campaign-task-filter"
        />
        <RecordTable<CampaignTaskRow>
          testId="campaign-tasks"
          columns={taskColumns}
          query={tasks}
          list={{ page, pageSize, onPage: (next, size) => update({ page: next, pageSize: size }) }}
          showSizeChanger
          renderCard={(task) => <TaskCard task={task} campaignOpen={open} canVerify={canVerify} />}
          empty={emptyTasks}
        />
      </Card>
    </div>
  );
}
