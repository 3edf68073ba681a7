import { ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { DuplicateCandidate, DuplicateCheckResult } from '../../../../domain/children/schema.js';
import { useT } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { ChildStatusTag } from './child-tags.js';

interface DuplicateModalProps {
  findings: DuplicateCheckResult | null;
  /** Registration may go on with a reason; an edit cannot (the API takes no decision on PUT). */
  allowContinue: boolean;
  saving: boolean;
  onContinue: (reason: string) => void;
  onCancel: () => void;
  /** Registration only: ask the owning side to transfer the child whose number is filed outside the user's area. */
  onRequestTransfer?: (note: string) => void;
  requesting?: boolean;
}

/**
 * The answer to a 409 DUPLICATE: the possible duplicates in the user's scope,
 * each with why it matched, and three ways out — open the existing file,
 * continue with a recorded reason, or cancel. Never a silent merge. A file
 * with the same ID number outside his scope (409 DUPLICATE_ELSEWHERE) is only
 * said to exist, with the civil-affairs office to ask and a transfer request
 * to send; it cannot be passed by. One ID number is one file (issue 12 §1): a
 * candidate with the same number in scope can only be opened (409
 * DUPLICATE_ID), never continued past.
 */
export function DuplicateModal({ findings, allowContinue: mayContinue, saving, onContinue, onCancel, onRequestTransfer, requesting = false }: DuplicateModalProps) {
  const t = useT();
  const candidates = findings?.candidates ?? [];
  const elsewhere = findings?.elsewhere ?? null;
  const sameId = candidates.some((candidate) => candidate.match === 'same_id_number');
  const allowContinue = mayContinue && elsewhere === null && !sameId;
  const mayRequest = elsewhere !== null && onRequestTransfer !== undefined;
  const [form] = Form.useForm<{ reason: string }>();
  const [transferForm] = Form.useForm<{ note: string }>();
  const [explaining, setExplaining] = useState(false);
  const [asking, setAsking] = useState(false);
  const close = () => {
    setExplaining(false);
    setAsking(false);
    onCancel();
  };

  return (
    <Modal
      open={findings !== null}
      title={t('duplicate.title')}
      onCancel={close}
      destroyOnHidden
      afterClose={() => {
        setExplaining(false);
        setAsking(false);
      }}
      footer={
        <Space wrap className="duplicate-footer">
          <Button onClick={close} data-testid="duplicate-cancel">
            {t('common.cancel')}
          </Button>
          {allowContinue && !explaining ? (
            <Button onClick={() => setExplaining(true)} data-testid="duplicate-continue">
              {t('duplicate.continue')}
            </Button>
          ) : null}
          {allowContinue && explaining ? (
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="duplicate-confirm">
              {t('duplicate.confirmContinue')}
            </Button>
          ) : null}
          {mayRequest && !asking ? (
            <Button type="primary" onClick={() => setAsking(true)} data-testid="duplicate-request-transfer">
              {t('duplicate.requestTransfer')}
            </Button>
          ) : null}
          {mayRequest && asking ? (
            <Button type="primary" loading={requesting} onClick={() => transferForm.submit()} data-testid="duplicate-transfer-send">
              {t('duplicate.transferSend')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <div data-testid="duplicate-modal">
        {elsewhere ? (
          <Alert
            type="warning"
            showIcon
            className="duplicate-elsewhere"
            data-testid="duplicate-elsewhere"
            message={t('duplicate.elsewhereTitle')}
            description={t('duplicate.elsewhere', { region: elsewhere.contact.name })}
          />
        ) : null}
        {sameId ? <Alert type="error" showIcon className="duplicate-elsewhere" data-testid="duplicate-same-id" message={t('duplicate.sameId')} /> : null}
        {candidates.length > 0 ? (
          <Typography.Paragraph>{t(mayContinue ? 'duplicate.intro' : 'duplicate.introEdit')}</Typography.Paragraph>
        ) : null}
        {candidates.length > 0 ? (
          <List<DuplicateCandidate>
            className="duplicate-list"
            bordered
            size="small"
            dataSource={candidates}
            renderItem={(candidate) => (
              <List.Item key={candidate.id} data-testid="duplicate-candidate" className="duplicate-item">
                <div className="duplicate-item-body">
                  <div className="duplicate-item-title">
                    <Typography.Text strong>{candidate.name}</Typography.Text>
                    <Typography.Text type="secondary">{t('duplicate.birth', { date: candidate.birthDate })}</Typography.Text>
                    <ChildStatusTag status={candidate.status} />
                  </div>
                  <Typography.Text type="secondary" className="duplicate-item-meta">
                    {candidate.region.name}
                    {candidate.idNumberMasked ? ` · ${candidate.idNumberMasked}` : ''}
                  </Typography.Text>
                  <div>
                    <Tag color={candidate.match === 'same_id_number' ? 'red' : 'orange'} className="child-tag">
                      {t('duplicate.match')}：{enumLabel(t, 'match', candidate.match)}
                    </Tag>
                  </div>
                  <Link to={`/children/${candidate.id}`} target="_blank" rel="noopener" data-testid="duplicate-open">
                    <ExportOutlined /> {t('duplicate.open')}
                  </Link>
                </div>
              </List.Item>
            )}
          />
        ) : null}
        {mayRequest && asking ? (
          <Form form={transferForm} layout="vertical" className="duplicate-reason" onFinish={(values) => onRequestTransfer(values.note.trim())} preserve={false}>
            <Form.Item name="note" label={t('duplicate.transferNote')} rules={[{ required: true, whitespace: true, min: 2, message: t('duplicate.transferNoteRequired') }]}>
              <Input.TextArea rows={2} maxLength={500} placeholder={t('duplicate.transferNotePlaceholder')} data-testid="duplicate-transfer-note" autoFocus />
            </Form.Item>
          </Form>
        ) : null}
        {allowContinue && explaining ? (
          <Form
            form={form}
            layout="vertical"
            className="duplicate-reason"
            onFinish={(values) => onContinue(values.reason.trim())}
            preserve={false}
          >
            <Form.Item
              name="reason"
              label={t('duplicate.reason')}
              rules={[{ required: true, whitespace: true, min: 2, message: t('duplicate.reasonRequired') }]}
            >
              <Input.TextArea rows={2} maxLength={500} placeholder={t('duplicate.reasonPlaceholder')} data-testid="duplicate-reason" autoFocus />
            </Form.Item>
          </Form>
        ) : null}
      </div>
    </Modal>
  );
}
