/**
 * Transfer requests on the work list (issue 12 §1): the open requests about
 * files of the user's area, to transfer or decline with a reason, and the
 * user's own requests with their outcome (the file linked once it is his).
 * Shown only when there is something.
 */
import { App, Button, Card, Form, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { IncomingTransferRequest, TransferRequestState } from '../../../../domain/children/transfer-requests.js';
import { useAcceptTransfer, useDeclineTransfer, useTransferRequests } from './api.js';
import { useT } from './strings.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { formatDateTime } from '../../shared/format.js';

const STATE_COLOUR: Record<TransferRequestState, string> = { open: 'blue', transferred: 'green', declined: 'red' };

export function TransferRequestsCard() {
  const t = useT();
  const { modal, message } = App.useApp();
  const showError = useShowApiError();
  const requests = useTransferRequests();
  const accept = useAcceptTransfer();
  const decline = useDeclineTransfer();
  const [declining, setDeclining] = useState<IncomingTransferRequest | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const incoming = requests.data?.incoming ?? [];
  const outgoing = requests.data?.outgoing ?? [];
  const mayDecide = requests.data?.mayDecide ?? false;

  const confirmAccept = (r: IncomingTransferRequest) =>
    modal.confirm({
      title: t('transfer.accept'),
      content: t('transfer.acceptConfirm', { name: r.child.name, place: r.to }),
      okButtonProps: { 'data-testid': 'transfer-accept-confirm' },
      onOk: () => accept.mutateAsync(r.id).then(() => void message.success(t('transfer.accepted')), (error: unknown) => showError(error)),
    });

  return (
    <>
      {incoming.length > 0 ? (
        <Card size="small" className="transfer-requests-card transfer-incoming" data-testid="transfer-incoming" title={t('transfer.incomingTitle')}>
          <Typography.Paragraph type="secondary">{t('transfer.incomingIntro')}</Typography.Paragraph>
          <List
            size="small"
            dataSource={incoming}
            renderItem={(r) => (
              <List.Item key={r.id} data-testid="transfer-incoming-item">
                <Space direction="vertical" size={2} className="full-width">
                  <Space wrap>
                    <Link to={`/children/${r.child.id}`}>{r.child.name}</Link>
                    <Typography.Text type="secondary">{r.child.region.name}</Typography.Text>
                  </Space>
                  <Typography.Text>{t('transfer.to', { place: r.to })}</Typography.Text>
                  <Typography.Text type="secondary">{t('transfer.askedName', { name: r.askedName })}</Typography.Text>
                  <Typography.Text>{r.note}</Typography.Text>
                  <Typography.Text type="secondary">{t('transfer.askedBy', { name: r.askedBy, time: formatDateTime(r.askedAt) })}</Typography.Text>
                  {mayDecide ? (
                    <Space wrap>
                      <Button type="primary" onClick={() => confirmAccept(r)} data-testid="transfer-accept">
                        {t('transfer.accept')}
                      </Button>
                      <Button onClick={() => setDeclining(r)} data-testid="transfer-decline">
                        {t('transfer.decline')}
                      </Button>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('transfer.noDecide')}</Typography.Text>
                  )}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      {outgoing.length > 0 ? (
        <Card size="small" className="transfer-requests-card" data-testid="transfer-outgoing" title={t('transfer.outgoingTitle')}>
          <List
            size="small"
            dataSource={outgoing}
            renderItem={(r) => (
              <List.Item key={r.id} data-testid="transfer-outgoing-item">
                <Space direction="vertical" size={2}>
                  <Space wrap>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    <Tag color={STATE_COLOUR[r.state]} data-testid="transfer-state">
                      {t(`transfer.state.${r.state}`)}
                    </Tag>
                    <Typography.Text type="secondary">{formatDateTime(r.askedAt)}</Typography.Text>
                  </Space>
                  {r.declineReason ? <Typography.Text type="danger">{t('transfer.reason', { reason: r.declineReason })}</Typography.Text> : null}
                  {r.childId ? (
                    <Link to={`/children/${r.childId}`} data-testid="transfer-open-file">
                      {t('transfer.openFile')}
                    </Link>
                  ) : null}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <Modal
        open={declining !== null}
        title={t('transfer.decline')}
        onCancel={() => setDeclining(null)}
        destroyOnHidden
        okButtonProps={{ loading: decline.isPending, 'data-testid': 'transfer-decline-confirm' }}
        onOk={() => form.submit()}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(values) =>
            declining &&
            decline.mutate(
              { id: declining.id, reason: values.reason.trim() },
              {
                onSuccess: () => {
                  setDeclining(null);
                  void message.success(t('transfer.declined'));
                },
                onError: (error) => showError(error),
              },
            )
          }
        >
          <Form.Item name="reason" label={t('transfer.declineReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('transfer.declineRequired') }]}>
            <Input.TextArea rows={2} maxLength={500} data-testid="transfer-decline-reason" autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
