import { FileProtectOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Collapse, DatePicker, Form, Image, Input, Modal, Radio, Space, Tag, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ChildDetail } from '../../../../domain/children/schema.js';
import type { LetterKind, LetterState } from '../../../../domain/letters/rules.js';
import { SIGNER_RELATIONS, type LetterRecord, type LetterSignInput } from '../../../../domain/letters/schema.js';
import { useAttachLetterScan, useChildLetters, useSignLetter } from './api.js';
import { useT, type MessageKey, type Translate } from './strings.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { todayInChina } from '../visits/public.js';
import { personNameRule } from '../../shared/person-name-rule.js';

const KIND_LABEL: Record<LetterKind, MessageKey> = { guardian: 'letter.kind.guardian', entrusted: 'letter.kind.entrusted' };
const STATE_TAG: Record<LetterState, { color: string; label: MessageKey }> = {
  signed: { color: 'success', label: 'letter.state.signed' },
  renewal: { color: 'warning', label: 'letter.state.renewal' },
  missing: { color: 'error', label: 'letter.state.missing' },
};
const RELATION_LABEL: Record<(typeof SIGNER_RELATIONS)[number], MessageKey> = { father: 'letter.relation.father', mother: 'letter.relation.mother', guardian: 'letter.relation.guardian' };

const dateProps = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined),
};

function signedLine(t: Translate, letter: LetterRecord): string {
  return t('letter.signedLine', {
    date: letter.signedOn,
    guardian: letter.guardianName,
    relation: t(RELATION_LABEL[letter.guardianRelation]),
    carer: letter.carer.name ?? '—',
  });
}

function ScanButton({ letter }: { letter: LetterRecord }) {
  const t = useT();
  const { message } = App.useApp();
  const attach = useAttachLetterScan();
  const showError = useShowApiError();
  return (
    <Upload
      accept="image/jpeg,image/png,image/webp"
      showUploadList={false}
      beforeUpload={(file) => {
        attach.mutate(
          { letterId: letter.id, file },
          {
            onSuccess: () => void message.success(t('letter.scanSaved')),
            onError: (error) => showError(error),
          },
        );
        return false;
      }}
    >
      <Button size="small" icon={<UploadOutlined />} loading={attach.isPending} data-testid="letter-scan-upload">
        {letter.scan ? t('letter.replaceScan') : t('letter.uploadScan')}
      </Button>
    </Upload>
  );
}

interface SignValues {
  signedOn: string;
  guardianName: string;
  guardianRelation: LetterSignInput['guardianRelation'];
  carerName?: string;
  note?: string;
}

/** Record a signed paper: who signed and when (the carer is the file's; another carer means editing the file first). */
function SignModal({ child, kind, open, onClose }: { child: ChildDetail; kind: LetterKind; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<SignValues>();
  const sign = useSignLetter(child.id);
  const showError = useShowApiError();
  const fatherName = child.father.name ?? '';
  const initial: Partial<SignValues> = {
    signedOn: todayInChina(),
    guardianName: fatherName || (child.mother.name ?? ''),
    guardianRelation: fatherName ? 'father' : child.mother.name ? 'mother' : 'guardian',
    carerName: kind === 'entrusted' ? (child.caregiver.name ?? '') : undefined,
  };
  const submit = (values: SignValues) =>
    sign.mutate(
      { kind, signedOn: values.signedOn, guardianName: values.guardianName, guardianRelation: values.guardianRelation, carerName: kind === 'entrusted' ? (values.carerName ?? null) : null, note: values.note ?? null },
      {
        onSuccess: () => {
          void message.success(t('letter.signSaved'));
          form.resetFields();
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: ['signedOn', 'guardianName', 'guardianRelation', 'carerName', 'note'] }),
      },
    );
  return (
    <Modal
      open={open}
      title={t('letter.signTitle', { kind: t(KIND_LABEL[kind]) })}
      okText={t('letter.signSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={sign.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'letter-sign-submit' }}
    >
      <Typography.Paragraph type="secondary">{t('letter.signHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} requiredMark="optional">
        <Form.Item name="signedOn" label={t('letter.field.signedOn')} rules={[{ required: true, message: t('letter.required') }]} {...dateProps}>
          <DatePicker className="full-width" inputReadOnly allowClear={false} disabledDate={(day) => day.format('YYYY-MM-DD') > todayInChina() || day.format('YYYY-MM-DD') < child.birthDate} />
        </Form.Item>
        <Form.Item name="guardianName" label={t('letter.field.guardianName')} rules={[{ required: true, whitespace: true, message: t('letter.required') }, personNameRule(t)]}>
          <Input maxLength={50} data-testid="letter-guardian-name" />
        </Form.Item>
        <Form.Item name="guardianRelation" label={t('letter.field.guardianRelation')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={SIGNER_RELATIONS.map((r) => ({ value: r, label: t(RELATION_LABEL[r]) }))} />
        </Form.Item>
        {kind === 'entrusted' ? (
          <Form.Item name="carerName" label={t('letter.field.carerName')} extra={t('letter.carerHint')} rules={[{ required: true, whitespace: true, message: t('letter.required') }, personNameRule(t)]}>
            <Input maxLength={50} data-testid="letter-carer-name" />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t('letter.field.note')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The child's guardianship letters: which are needed, which hold, print, record the signing, attach the scan. */
export function ChildLettersCard({ child }: { child: ChildDetail }) {
  const t = useT();
  const letters = useChildLetters(child.id);
  const [signing, setSigning] = useState<LetterKind | null>(null);
  const loaded = letters.data !== undefined;
  // Opened from the letters work list (…#letters): bring the card into view once it is there.
  useEffect(() => {
    if (loaded && window.location.hash === '#letters') document.getElementById('letters')?.scrollIntoView({ block: 'start' });
  }, [loaded]);
  if (!letters.data) return null;
  const { needed, history, can } = letters.data;
  const covered = needed.every((n) => n.state === 'signed');
  return (
    <Card
      size="small"
      className="letters-card"
      data-testid="letters-card"
      title={
        <Space>
          <FileProtectOutlined />
          {t('letter.cardTitle')}
          <Tag color={covered ? 'success' : 'error'}>{covered ? t('letter.covered') : t('letter.notCovered')}</Tag>
        </Space>
      }
    >
      {needed.map((n) => (
        <div key={n.kind} className="letter-row" data-testid={`letter-${n.kind}`}>
          <div className="letter-row-main">
            <Space size={6} wrap>
              <Typography.Text strong>{t(KIND_LABEL[n.kind])}</Typography.Text>
              <Tag color={STATE_TAG[n.state].color} data-testid="letter-state">
                {t(STATE_TAG[n.state].label)}
              </Tag>
            </Space>
            {n.latest ? (
              <Typography.Text type="secondary">
                {signedLine(t, n.latest)}
                {n.state === 'renewal' ? ` · ${t('letter.renewalHint')}` : ''}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">{t('letter.neverSigned')}</Typography.Text>
            )}
            {n.latest?.scan ? <Image src={n.latest.scan.url} width={56} height={72} className="letter-scan-thumb" alt={t('letter.scan')} data-testid="letter-scan" /> : null}
          </div>
          {can.record ? (
            <Space wrap>
              <Link to={`/children/${child.id}/letters/${n.kind}/print`}>
                <Button icon={<PrinterOutlined />} data-testid="letter-print-link">
                  {t('letter.print')}
                </Button>
              </Link>
              <Button type={n.state === 'signed' ? 'default' : 'primary'} onClick={() => setSigning(n.kind)} data-testid="letter-sign">
                {n.state === 'renewal' ? t('letter.renew') : t('letter.recordSigning')}
              </Button>
              {n.latest?.current ? <ScanButton letter={n.latest} /> : null}
            </Space>
          ) : null}
        </div>
      ))}
      {history.length > 0 ? (
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: 'history',
              label: t('letter.history', { count: history.length }),
              children: history.map((l) => (
                <div key={l.id} className="letter-history-row">
                  <Typography.Text>{t(KIND_LABEL[l.kind])}</Typography.Text> <Typography.Text type="secondary">{signedLine(t, l)}</Typography.Text>{' '}
                  {l.current ? null : <Tag>{t('letter.superseded')}</Tag>}
                  {l.scan ? (
                    <Typography.Link href={l.scan.url} target="_blank">
                      {t('letter.scan')}
                    </Typography.Link>
                  ) : null}
                </div>
              )),
            },
          ]}
        />
      ) : null}
      {signing ? <SignModal child={child} kind={signing} open onClose={() => setSigning(null)} /> : null}
    </Card>
  );
}
