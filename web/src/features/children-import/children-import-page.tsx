import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Progress, Result, Space, Statistic, Table, Typography, Upload, type TableColumnsType, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ImportIssue, ImportJobStatus } from '../../../../domain/children/import.js';
import { downloadImportErrors, downloadImportTemplate, isLostJob, useImportJob, useStartImport } from './api.js';
import { PageHeader } from '../../shared/page-header.js';
import { useT, type MessageKey } from './strings.js';

const MAX_BYTES = 20 * 1024 * 1024;

const PHASE_KEYS: Record<ImportJobStatus['phase'], MessageKey> = {
  reading: 'childImport.phase.reading',
  validating: 'childImport.phase.validating',
  checking: 'childImport.phase.checking',
  writing: 'childImport.phase.writing',
  finished: 'childImport.phase.finished',
};

function JobProgress({ job }: { job: ImportJobStatus }) {
  const t = useT();
  return (
    <div data-testid="import-progress">
      <Typography.Text type="secondary">
        {t(PHASE_KEYS[job.phase])}
        {job.total > 0 && job.phase === 'writing'
          ? ` · ${t('childImport.checkedWritten', { checked: job.checked, written: job.written, total: job.total })}`
          : job.total > 0
            ? ` · ${t('childImport.processed', { processed: job.processed, total: job.total })}`
            : ''}
      </Typography.Text>
      <Progress percent={job.percent} status={job.state === 'failed' ? 'exception' : job.state === 'running' ? 'active' : 'success'} />
    </div>
  );
}

/** A poll that failed; a job that is gone was stopped by a restart of the server, and wrote nothing. */
function PollError({ error }: { error: Error }) {
  const t = useT();
  return <Alert type="error" showIcon message={isLostJob(error) ? t('childImport.lost') : error.message} data-testid="import-poll-error" />;
}

/** Counts, the list of problems and the report download of a finished job. */
function JobResult({ job }: { job: ImportJobStatus }) {
  const t = useT();
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState(false);
  const result = job.result;
  if (!result) return null;
  const issues: (ImportIssue & { kind: 'error' | 'warning'; key: string })[] = [
    ...result.errors.map((issue, i) => ({ ...issue, kind: 'error' as const, key: `e${i}` })),
    ...result.warnings.map((issue, i) => ({ ...issue, kind: 'warning' as const, key: `w${i}` })),
  ];
  const columns: TableColumnsType<(typeof issues)[number]> = [
    { title: t('childImport.col.row'), dataIndex: 'row', width: 80 },
    {
      title: t('childImport.col.column'),
      key: 'column',
      width: 160,
      render: (_: unknown, issue) => `${issue.column}（${issue.columnLetter}）`,
    },
    {
      title: t('childImport.col.message'),
      dataIndex: 'message',
      render: (text: string, issue) => <Typography.Text type={issue.kind === 'error' ? 'danger' : 'warning'}>{text}</Typography.Text>,
    },
  ];
  const onDownload = async () => {
    setDownloading(true);
    try {
      await downloadImportErrors(job.jobId);
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setDownloading(false);
    }
  };
  const moreThanListed = result.errorCount > result.errors.length || result.warningCount > result.warnings.length;

  return (
    <div className="import-result" data-testid="import-result">
      <Space size="large" wrap>
        <Statistic title={t('childImport.rows')} value={result.rows} data-testid="import-rows" />
        <Statistic title={t('childImport.valid')} value={result.valid} valueStyle={{ color: '#3f8600' }} data-testid="import-valid" />
        <Statistic title={t('childImport.invalid')} value={result.invalid} valueStyle={result.invalid > 0 ? { color: '#cf1322' } : undefined} data-testid="import-invalid" />
        {result.warningCount > 0 ? <Statistic title={t('childImport.warnings')} value={result.warningCount} /> : null}
      </Space>
      {issues.length > 0 ? (
        <>
          <div className="import-issues-bar">
            <Typography.Text strong>{t('childImport.issues', { errors: result.errorCount, warnings: result.warningCount })}</Typography.Text>
            <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void onDownload()} data-testid="import-errors-download">
              {t('childImport.downloadErrors')}
            </Button>
          </div>
          {moreThanListed ? <Alert type="info" showIcon message={t('childImport.moreInReport')} /> : null}
          <Table
            data-testid="import-errors"
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={issues}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
          />
        </>
      ) : null}
    </div>
  );
}

export function ChildrenImportPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [fileList, setFileList] = useState<UploadFile[]>([]);
  const [checkJobId, setCheckJobId] = useState<string | null>(null);
  const [commitJobId, setCommitJobId] = useState<string | null>(null);
  const [templateLoading, setTemplateLoading] = useState(false);
  const start = useStartImport();
  const check = useImportJob(checkJobId);
  const commit = useImportJob(commitJobId);
  const file = fileList[0]?.originFileObj ?? null;

  const checkJob = check.data ?? null;
  const commitJob = commit.data ?? null;
  const checkRunning = checkJobId !== null && (checkJob === null || checkJob.state === 'running');
  const commitRunning = commitJobId !== null && (commitJob === null || commitJob.state === 'running');
  const busy = start.isPending || checkRunning || commitRunning;
  const checked = checkJob?.state === 'done' && checkJob.result !== null ? checkJob.result : null;
  const canCommit = checked !== null && checked.invalid === 0 && checked.valid > 0 && commitJobId === null;
  const committed = commitJob?.state === 'done' && commitJob.result?.committed === true ? commitJob.result : null;

  const onTemplate = async () => {
    setTemplateLoading(true);
    try {
      await downloadImportTemplate();
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setTemplateLoading(false);
    }
  };

  const run = (dryRun: boolean) => {
    if (!file) return;
    start.mutate(
      { file, dryRun },
      {
        onSuccess: ({ jobId }) => (dryRun ? setCheckJobId(jobId) : setCommitJobId(jobId)),
        onError: (error) => void message.error(error.message),
      },
    );
  };

  const beforeUpload = (chosen: File): false | typeof Upload.LIST_IGNORE => {
    if (!chosen.name.toLowerCase().endsWith('.xlsx')) {
      void message.error(t('childImport.onlyXlsx'));
      return Upload.LIST_IGNORE;
    }
    if (chosen.size > MAX_BYTES) {
      void message.error(t('childImport.tooLarge'));
      return Upload.LIST_IGNORE;
    }
    return false;
  };

  return (
    <div className="import-page">
      <PageHeader title={t('childImport.title')} extra={<Link to="/children">{t('childImport.backToList')}</Link>} />
      <Space direction="vertical" size="middle" className="import-steps">
        <Card size="small" title={t('childImport.step1')}>
          <Typography.Paragraph type="secondary">{t('childImport.step1.hint')}</Typography.Paragraph>
          <Button icon={<DownloadOutlined />} loading={templateLoading} onClick={() => void onTemplate()} data-testid="import-template">
            {t('childImport.downloadTemplate')}
          </Button>
        </Card>

        <Card size="small" title={t('childImport.step2')}>
          <div data-testid="import-upload">
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            multiple={false}
            fileList={fileList}
            beforeUpload={beforeUpload}
            disabled={busy}
            onChange={({ fileList: next }) => {
              setFileList(next.slice(-1));
              setCheckJobId(null);
              setCommitJobId(null);
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('childImport.chooseFile')}</p>
            <p className="ant-upload-hint">{t('childImport.chooseFile.hint')}</p>
          </Upload.Dragger>
          </div>
          <div className="import-actions">
            <Button type="primary" icon={<UploadOutlined />} disabled={!file || busy} loading={start.isPending && checkJobId === null} onClick={() => run(true)} data-testid="import-check">
              {t('childImport.check')}
            </Button>
          </div>
          {checkJob ? <JobProgress job={checkJob} /> : null}
          {checkJob?.state === 'failed' ? <Alert type="error" showIcon message={t('childImport.failed')} description={checkJob.error?.message} data-testid="import-failed" /> : null}
          {check.isError ? <PollError error={check.error} /> : null}
          {checkJob ? <JobResult job={checkJob} /> : null}
          {checked && checked.invalid > 0 ? <Alert type="warning" showIcon message={t('childImport.fixAndRetry')} /> : null}
          {checked && checked.rows === 0 ? <Alert type="warning" showIcon message={t('childImport.noRows')} /> : null}
        </Card>

        <Card size="small" title={t('childImport.step3')}>
          {committed ? (
            <Result
              status="success"
              title={<span data-testid="import-imported">{t('childImport.imported', { count: committed.imported })}</span>}
              subTitle={t('childImport.imported.hint')}
              extra={
                <Button type="primary" onClick={() => void navigate('/children')} data-testid="import-back">
                  {t('childImport.backToList')}
                </Button>
              }
            />
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('childImport.step3.hint')}</Typography.Paragraph>
              <Popconfirm
                title={t('childImport.confirm.title')}
                description={t('childImport.confirm.body', { count: checked?.valid ?? 0 })}
                okText={t('childImport.confirm.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() => run(false)}
                disabled={!canCommit || busy}
              >
                <Button type="primary" disabled={!canCommit || busy} loading={commitRunning} data-testid="import-commit">
                  {t('childImport.commit')}
                </Button>
              </Popconfirm>
              {commitJob ? <JobProgress job={commitJob} /> : null}
              {commitJob?.state === 'failed' ? <Alert type="error" showIcon message={t('childImport.failed')} description={commitJob.error?.message} /> : null}
              {commit.isError ? <PollError error={commit.error} /> : null}
              {commitJob?.state === 'done' && commitJob.result && !commitJob.result.committed ? (
                <>
                  <Alert type="error" showIcon message={t('childImport.notCommitted')} />
                  <JobResult job={commitJob} />
                </>
              ) : null}
            </>
          )}
        </Card>
      </Space>
    </div>
  );
}
