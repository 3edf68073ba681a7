import { CheckOutlined, CloseCircleOutlined, EditOutlined, RollbackOutlined, SwapOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { CLOSE_REASONS } from '../../../../domain/children/schema.js';
import {
  useChild,
  useChildTransition,
  useCloseChild,
  useTransferChild,
  type ChildStatus,
  type ChildTransition,
  type CloseReason,
} from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useT, type MessageKey } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';
import { hasPermission } from '../../shared/feature.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { CategorySummary } from './child-category-summary.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';

interface ChildRef {
  id: string;
  name: string;
  status: ChildStatus;
  region: { code: string };
}

const DECISIONS: Record<ChildTransition, { title: MessageKey; ok: MessageKey; required: boolean; help?: MessageKey; danger?: boolean }> = {
  approve: { title: 'childAction.approveTitle', ok: 'childAction.approve', required: false },
  return: { title: 'childAction.returnTitle', ok: 'childAction.return', required: true, help: 'childAction.returnHelp', danger: true },
  'approve-closure': { title: 'childAction.approveClosureTitle', ok: 'childAction.approveClosure', required: false },
  'reject-closure': { title: 'childAction.rejectClosureTitle', ok: 'childAction.rejectClosure', required: true, danger: true },
};

/**
 * What the supervisor approves: the categories the rules derive from the
 * file, each with its reasons, and any missing fact that decides them (a
 * parent away with no date of leaving is not counted as left-behind).
 */
function ApprovalFacts({ childId }: { childId: string }) {
  const t = useT();
  const detail = useChild(childId);
  if (detail.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (detail.isError) return <Alert type="error" showIcon message={detail.error.message} className="child-modal-alert" />;
  return (
    <div className="child-modal-facts" data-testid="approval-facts">
      <Typography.Text type="secondary">{t('childAction.approveFacts')}</Typography.Text>
      <CategorySummary child={detail.data} />
    </div>
  );
}

/** Approve / return a registration, approve / reject a closure: one modal with a comment (required to say no). */
export function DecisionModal({ child, action, onClose }: { child: ChildRef; action: ChildTransition | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const transition = useChildTransition();
  const [form] = Form.useForm<{ comment?: string }>();
  const spec = action ? DECISIONS[action] : null;

  const submit = (values: { comment?: string }) => {
    if (!action) return;
    transition.mutate(
      { id: child.id, action, comment: values.comment?.trim() || null },
      {
        onSuccess: () => {
          void message.success(t(`childAction.done.${action}`));
          form.resetFields();
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: ['comment'] }),
      },
    );
  };

  return (
    <Modal
      open={spec !== null}
      title={spec ? t(spec.title, { name: child.name }) : null}
      okText={spec ? t(spec.ok) : undefined}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: spec?.danger, loading: transition.isPending, ...{ 'data-testid': 'decision-ok' } }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {spec?.help ? <Alert type="info" showIcon message={t(spec.help)} className="child-modal-alert" /> : null}
      {action === 'approve' || action === 'return' ? <ApprovalFacts childId={child.id} /> : null}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="comment"
          label={t(spec?.required ? 'childAction.comment' : 'childAction.commentOptional')}
          rules={spec?.required ? [{ required: true, whitespace: true, min: 2, message: t('childAction.commentRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="decision-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseModal({ child, open, onClose }: { child: ChildRef; open: boolean; onClose: () => void }) {
  const t = useT();
  const me = useSession();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const close = useCloseChild();
  const [form] = Form.useForm<{ reason: CloseReason; note?: string }>();
  const isRequest = me.user.role === 'director';

  const submit = (values: { reason: CloseReason; note?: string }) => {
    close.mutate(
      { id: child.id, reason: values.reason, note: values.note?.trim() || null },
      {
        onSuccess: () => {
          void message.success(t(isRequest ? 'childAction.done.requestClose' : 'childAction.done.close'));
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: ['reason', 'note'] }),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('childAction.closeTitle', { name: child.name })}
      okText={t(isRequest ? 'childAction.requestClose' : 'childAction.confirmClose')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: close.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon message={t(isRequest ? 'childAction.closeWarnDirector' : 'childAction.closeWarn')} className="child-modal-alert" />
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="reason" label={t('childAction.closeReason')} rules={[{ required: true, message: t('childAction.closeReasonRequired') }]}>
          <Select<CloseReason> options={CLOSE_REASONS.map((reason) => ({ value: reason, label: enumLabel(t, 'closeReason', reason) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('childAction.closeNote')}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TransferModal({ child, open, onClose }: { child: ChildRef; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const transfer = useTransferChild();
  const [form] = Form.useForm<{ regionCode: string; note?: string }>();

  const submit = (values: { regionCode: string; note?: string }) => {
    transfer.mutate(
      { id: child.id, regionCode: values.regionCode, note: values.note?.trim() || null },
      {
        onSuccess: () => {
          void message.success(t('childAction.done.transfer'));
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: ['regionCode', 'note'] }),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('childAction.transferTitle', { name: child.name })}
      okText={t('childAction.confirmTransfer')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: transfer.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="warning" showIcon message={t('childAction.transferWarn')} className="child-modal-alert" />
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="regionCode"
          label={t('childAction.transferTarget')}
          rules={[
            { required: true, message: t('childAction.transferTargetRequired') },
            { validator: (_, value) => (value === child.region.code ? Promise.reject(new Error(t('childAction.transferTargetRequired'))) : Promise.resolve()) },
          ]}
        >
          <RegionTreeSelect level="village" className="full-width" />
        </Form.Item>
        <Form.Item name="note" label={t('childAction.transferNote')}>
          <Input.TextArea rows={2} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * What the user may do with a file in its current state, as buttons:
 * `review` shows only the approval decisions (the review list); `full` everything (the child page).
 * A list passes `onDecide` and shows the decision's dialog itself, so that it stays open when the
 * list turns from a table into cards (a phone turned, a window narrowed).
 */
export function ChildActions({ child, mode, onDecide }: { child: ChildRef; mode: 'review' | 'full'; onDecide?: (action: ChildTransition) => void }) {
  const t = useT();
  const me = useSession();
  const navigate = useNavigate();
  const [ownDecision, setOwnDecision] = useState<ChildTransition | null>(null);
  const setDecision = onDecide ?? setOwnDecision;
  const [closing, setClosing] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const open = child.status === 'pending' || child.status === 'returned' || child.status === 'active';
  const can = (action: Parameters<typeof hasPermission>[1]) => hasPermission(me, action);
  const size = mode === 'review' ? 'small' : 'middle';

  return (
    <Space wrap size={mode === 'review' ? 4 : 8}>
      {mode === 'full' && can('child.update') && open ? (
        <Button icon={<EditOutlined />} onClick={() => void navigate(`/children/${child.id}/edit`)} data-testid="child-edit">
          {t('childAction.edit')}
        </Button>
      ) : null}
      {can('child.approve') && child.status === 'pending' ? (
        <>
          <Button type="primary" size={size} icon={<CheckOutlined />} onClick={() => setDecision('approve')} data-testid="child-approve">
            {t('childAction.approve')}
          </Button>
          <Button danger size={size} icon={<RollbackOutlined />} onClick={() => setDecision('return')} data-testid="child-return">
            {t('childAction.return')}
          </Button>
        </>
      ) : null}
      {can('child.approve') && child.status === 'closing' ? (
        <>
          <Button type="primary" size={size} icon={<CheckOutlined />} onClick={() => setDecision('approve-closure')} data-testid="child-approve-closure">
            {t('childAction.approveClosure')}
          </Button>
          <Button danger size={size} icon={<RollbackOutlined />} onClick={() => setDecision('reject-closure')} data-testid="child-reject-closure">
            {t('childAction.rejectClosure')}
          </Button>
        </>
      ) : null}
      {mode === 'full' && can('child.transfer') && open ? (
        <Button icon={<SwapOutlined />} onClick={() => setTransferring(true)} data-testid="child-transfer">
          {t('childAction.transfer')}
        </Button>
      ) : null}
      {mode === 'full' && can('child.close') && child.status === 'active' ? (
        <Button danger icon={<CloseCircleOutlined />} onClick={() => setClosing(true)} data-testid="child-close">
          {t(me.user.role === 'director' ? 'childAction.requestClose' : 'childAction.close')}
        </Button>
      ) : null}
      {onDecide ? null : <DecisionModal child={child} action={ownDecision} onClose={() => setOwnDecision(null)} />}
      {mode === 'full' ? <CloseModal child={child} open={closing} onClose={() => setClosing(false)} /> : null}
      {mode === 'full' ? <TransferModal child={child} open={transferring} onClose={() => setTransferring(false)} /> : null}
    </Space>
  );
}
