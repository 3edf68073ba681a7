import { Alert, Checkbox, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { downloadChildrenExport, downloadChildrenExportFull } from '../api/children-import.js';
import type { ChildListFilters } from '../api/children.js';
import { useT } from '../i18n/index.js';
import { useShowApiError } from './api-feedback.js';

interface ChildrenExportModalProps {
  open: boolean;
  filters: ChildListFilters;
  /** How many files the filters match (the list's total), when known. */
  total: number | undefined;
  onClose: () => void;
}

/**
 * The export of the filtered list, for a user who may reveal numbers: masked
 * by default; ticking 导出完整身份证号和电话 asks for a reason, which the
 * server records with the row count in the export's audit row. Users who may
 * not reveal numbers export at once, masked, without this dialog.
 */
export function ChildrenExportModal({ open, filters, total, onClose }: ChildrenExportModalProps) {
  const t = useT();
  const showError = useShowApiError();
  const [form] = Form.useForm<{ full: boolean; reason?: string }>();
  const full = Form.useWatch('full', form) === true;
  const [exporting, setExporting] = useState(false);

  const submit = async (values: { full: boolean; reason?: string }) => {
    setExporting(true);
    try {
      if (values.full) await downloadChildrenExportFull(filters, values.reason?.trim() ?? '');
      else await downloadChildrenExport(filters);
      onClose();
    } catch (error) {
      showError(error, { instance: form, fields: ['reason'] });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('children.exportTitle')}
      okText={t('children.exportOk')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={exporting}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'export-confirm' }}
    >
      <div data-testid="export-modal">
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
      </div>
    </Modal>
  );
}
