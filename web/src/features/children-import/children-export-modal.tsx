import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Input, Modal, Progress, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { downloadExportFile, useExportJob, useStartExport } from './export-api.js';
import type { ChildListFilters } from '../children/api.js';
import { useT } from './strings.js';
import { useShowApiError } from '../../shared/api-feedback.js';

interface ChildrenExportModalProps {
  open: boolean;
  filters: ChildListFilters;
  /** How many files the filters match (the list's total), when known. */
  total: number | undefined;
  /**
   * Whether the user may reveal numbers: then the dialog first offers 导出完整身份证号和电话 (with a reason); otherwise
   * the masked export starts as the dialog opens.
   */
  mayReveal: boolean;
  onClose: () => void;
}

/**
 * The export of the filtered list as a job on the server (issue 13 point 4):
 * masked by default; ticking 导出完整身份证号和电话 asks for a reason, which
 * the server records with the row count in the export's audit row. Once
 * started, the dialog shows the rows written of the total, then a 下载文件
 * button (a full-number file can be downloaded once).
 */
export function ChildrenExportModal({ open, filters, total, mayReveal, onClose }: ChildrenExportModalProps) {
  const t = useT();
  const showError = useShowApiError();
  const [form] = Form.useForm<{ full: boolean; reason?: string }>();
  const full = Form.useWatch('full', form) === true;
  const start = useStartExport();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useExportJob(jobId);
  const [downloading, setDownloading] = useState(false);
  const autoStarted = useRef(false);

  const submit = async (values: { full: boolean; reason?: string }) => {
    try {
      const started = await start.mutateAsync({ filters, reason: values.full ? (values.reason?.trim() ?? '') : undefined });
      setJobId(started.jobId);
    } catch (error) {
      showError(error, { instance: form, fields: ['reason'] });
    }
  };

  // Without the choice of full numbers there is nothing to ask: the masked export starts at once.
  useEffect(() => {
    if (!open) {
      autoStarted.current = false;
      // A job still running when the dialog is closed goes on: opening the dialog again shows it (one export at a time).
      if (job.data?.state !== 'running') setJobId(null);
      return;
    }
    if (!mayReveal && !autoStarted.current && jobId === null) {
      autoStarted.current = true;
      void submit({ full: false });
    }
  }, [open, mayReveal]); // once per opening

  const status = job.data;
  const onDownload = async () => {
    if (!jobId) return;
    setDownloading(true);
    try {
      await downloadExportFile(jobId);
      // A full-number file is gone from the server after this one download.
      if (status?.full) onClose();
    } catch (error) {
      showError(error);
    } finally {
      setDownloading(false);
    }
  };

  const choosing = jobId === null && mayReveal;
  const footer = choosing
    ? [
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={start.isPending} onClick={() => form.submit()} data-testid="export-confirm">
          {t('children.exportOk')}
        </Button>,
      ]
    : [
        <Button key="close" onClick={onClose} data-testid="export-close">
          {t('common.close')}
        </Button>,
        <Button
          key="download"
          type="primary"
          icon={<DownloadOutlined />}
          disabled={status?.state !== 'done'}
          loading={downloading}
          onClick={() => void onDownload()}
          data-testid="export-download"
        >
          {t('children.exportDownload')}
        </Button>,
      ];

  return (
    <Modal open={open} title={t('children.exportTitle')} onCancel={onClose} footer={footer} destroyOnHidden maskClosable={false}>
      <div data-testid="export-modal">
        {choosing ? (
          <>
            <Typography.Paragraph>{total === undefined ? t('children.exportMasked') : t('children.exportMaskedCount', { count: total })}</Typography.Paragraph>
            <Form form={form} layout="vertical" initialValues={{ full: false }} onFinish={(values) => void submit(values)} preserve={false}>
              <Form.Item name="full" valuePropName="checked">
                <Checkbox data-testid="export-full">{t('children.exportFull')}</Checkbox>
              </Form.Item>
              {full ? (
                <>
                  <Alert type="warning" showIcon message={t('children.exportFullWarning')} className="export-full-warning" data-testid="export-full-warning" />
                  <Form.Item
                    name="reason"
                    label={t('children.exportReason')}
                    rules={[{ required: true, whitespace: true, min: 2, message: t('children.exportReasonRequired') }]}
                    className="export-reason"
                  >
                    <Input.TextArea rows={2} maxLength={500} placeholder={t('children.exportReasonPlaceholder')} data-testid="export-reason" autoFocus />
                  </Form.Item>
                </>
              ) : null}
            </Form>
          </>
        ) : (
          <div data-testid="export-progress">
            <Progress
              percent={status?.percent ?? 0}
              status={status?.state === 'failed' ? 'exception' : status?.state === 'done' ? 'success' : 'active'}
              data-testid="export-progress-bar"
            />
            <Typography.Paragraph type="secondary" data-testid="export-rows">
              {status === undefined
                ? t('children.exportStarting')
                : status.state === 'done'
                  ? t('children.exportReady', { count: status.processed })
                  : t('children.exportWriting', { processed: status.processed, total: status.total })}
            </Typography.Paragraph>
            {status?.state === 'done' && status.full ? <Alert type="warning" showIcon message={t('children.exportOnce')} data-testid="export-once" /> : null}
            {status?.state === 'failed' && status.error ? <Alert type="error" showIcon message={status.error.message} data-testid="export-error" /> : null}
            {job.error ? <Alert type="error" showIcon message={job.error.message} /> : null}
            {start.error && jobId === null ? <Alert type="error" showIcon message={start.error.message} data-testid="export-error" /> : null}
          </div>
        )}
      </div>
    </Modal>
  );
}
