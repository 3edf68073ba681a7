/**
 * Confirm, then act: a button that opens a small form in a dialog (a reason,
 * a note, a date: or nothing but the question), runs the action when the
 * user confirms, says it is done and closes. A server error lands on the
 * field it names, else as a message, and the dialog stays open with what was
 * typed. Every state change the user starts from a record page goes through
 * this one step (withdraw, close, accept, decline, end an order, ...).
 */
import { App, Button, Form, Modal, type ButtonProps, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useShowApiError } from './api-feedback.js';
import { useT } from './i18n/index.js';

export interface ConfirmActionProps<V extends object> {
  /** The button's words, and its test id; the confirming button is `${testId}-ok` unless okTestId says otherwise. */
  label: ReactNode;
  testId: string;
  okTestId?: string;
  /** A destructive action: the buttons are red. */
  danger?: boolean;
  /** The look of the opening button (type, size, block, icon); red and primary follow `danger` unless given. */
  button?: ButtonProps;
  title: ReactNode;
  okText: ReactNode;
  /** What the dialog says above the fields. */
  description?: ReactNode;
  /** The form's fields (Form.Item); a function when they depend on what is chosen. None for a plain question. */
  fields?: ReactNode | ((form: FormInstance<V>) => ReactNode);
  initialValues?: Partial<V>;
  /** Runs the action (a mutation's mutateAsync); a rejection keeps the dialog open and shows the error. */
  run: (values: V) => Promise<unknown>;
  /** The message once done. */
  done: string;
  /** The fields a server error may name (shown under that field). */
  errorFields?: readonly string[];
}

export function ConfirmAction<V extends object>(props: ConfirmActionProps<V>) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [open, setOpen] = useState(false);
  const [running, setRunning] = useState(false);
  const [form] = Form.useForm<V>();
  const danger = props.danger ?? false;
  const submit = async (values: V) => {
    setRunning(true);
    try {
      await props.run(values);
      void message.success(props.done);
      setOpen(false);
    } catch (error) {
      showError(error, { instance: form, fields: props.errorFields ?? [] });
    } finally {
      setRunning(false);
    }
  };
  return (
    <>
      <Button danger={danger} type={danger ? 'default' : 'primary'} {...props.button} onClick={() => setOpen(true)} data-testid={props.testId}>
        {props.label}
      </Button>
      <Modal
        open={open}
        title={props.title}
        okText={props.okText}
        okButtonProps={{ danger, loading: running, ...{ 'data-testid': props.okTestId ?? `${props.testId}-ok` } }}
        cancelText={t('common.cancel')}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {props.description}
        <Form<V> form={form} layout="vertical" preserve={false} onFinish={(values) => void submit(values)} initialValues={props.initialValues}>
          {typeof props.fields === 'function' ? props.fields(form) : props.fields}
        </Form>
      </Modal>
    </>
  );
}
