import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import type { OrganisationInput, OrganisationRecord } from '../../../../domain/api.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../../../domain/roles.js';
import { useCreateOrganisation, useOrganisations } from './api.js';
import { useSession } from '../../shared/api/session.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { PageHeader } from '../../shared/page-header.js';
import { RegionTreeSelect } from '../../shared/region-tree-select.js';
import { FilterBar, useListParams } from '../../shared/filter-bar.js';
import { RecordTable, type RecordColumn } from '../../shared/record-table.js';
import { useT } from './strings.js';
import { organisationKindLabel } from '../../shared/i18n/labels.js';
import { hasPermission } from '../../shared/feature.js';

function isKind(value: string | null): value is OrganisationKind {
  return value !== null && (ORGANISATION_KINDS as readonly string[]).includes(value);
}

const FORM_FIELDS = ['name', 'kind', 'regionCode'] as const;

function CreateOrganisationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrganisationInput>();
  const create = useCreateOrganisation();
  const showError = useShowApiError();

  const submit = (values: OrganisationInput) => {
    create.mutate(
      { ...values, name: values.name.trim() },
      {
        onSuccess: () => {
          void message.success(t('organisations.created'));
          form.resetFields();
          onClose();
        },
        onError: (error) => showError(error, { instance: form, fields: FORM_FIELDS }),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('organisations.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form<OrganisationInput> form={form} name="organisation-create" layout="vertical" onFinish={submit}>
        <Form.Item
          name="name"
          label={t('organisations.form.name')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('organisations.form.nameRequired') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="kind" label={t('organisations.form.kind')} rules={[{ required: true, message: t('organisations.form.kindRequired') }]}>
          <Select options={ORGANISATION_KINDS.map((kind) => ({ value: kind, label: organisationKindLabel(t, kind) }))} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('organisations.form.region')} rules={[{ required: true, message: t('organisations.form.regionRequired') }]}>
          <RegionTreeSelect allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function OrganisationsPage() {
  const t = useT();
  const me = useSession();
  const list = useListParams();
  const kindParam = list.params.get('kind');
  const filters = { q: list.params.get('q') ?? undefined, kind: isKind(kindParam) ? kindParam : undefined, page: list.page, pageSize: list.pageSize };
  const organisations = useOrganisations(filters);
  const [creating, setCreating] = useState(false);
  const canManage = hasPermission(me, 'organisation.manage');

  const columns: RecordColumn<OrganisationRecord>[] = [
    { title: t('organisations.col.name'), dataIndex: 'name' },
    { title: t('organisations.col.kind'), dataIndex: 'kind', render: (kind: OrganisationKind) => organisationKindLabel(t, kind) },
    { title: t('organisations.col.region'), dataIndex: 'regionName' },
    { title: t('organisations.col.userCount'), dataIndex: 'userCount', align: 'right' },
  ];

  return (
    <div>
      <PageHeader
        title={t('organisations.title')}
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('organisations.create')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <FilterBar
          filters={[
            { kind: 'search', placeholder: t('organisations.searchPlaceholder') },
            { kind: 'select', param: 'kind', placeholder: t('organisations.filter.kind'), options: ORGANISATION_KINDS.map((kind) => ({ value: kind, label: organisationKindLabel(t, kind) })) },
          ]}
        />
        <RecordTable<OrganisationRecord>
          testId="organisations-table"
          columns={columns}
          query={organisations}
          list={list}
          showSizeChanger
          empty={t('organisations.empty')}
        />
      </Card>
      {canManage ? <CreateOrganisationModal open={creating} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
