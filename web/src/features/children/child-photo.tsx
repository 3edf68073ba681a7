import { CameraOutlined, DeleteOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Image, Popconfirm, Space, Upload } from 'antd';
import type { ChildDetail } from '../../../../domain/children/schema.js';
import { useRemoveChildPhoto, useSetChildPhoto } from './api.js';
import { useShowApiError } from '../../shared/api-feedback.js';
import { useT } from './strings.js';

const ACCEPT = 'image/jpeg,image/png,image/webp';
const MAX_BYTES = 10 * 1024 * 1024;

/** The child's photo on the child page, with upload / replace / remove for those who may edit the file. */
export function ChildPhoto({ child, editable }: { child: ChildDetail; editable: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const upload = useSetChildPhoto();
  const remove = useRemoveChildPhoto();
  return (
    <div className="child-photo" data-testid="child-photo">
      {child.photo ? (
        <Image src={child.photo.url} width={88} height={88} className="child-photo-image" alt={t('childPhoto.alt', { name: child.name })} />
      ) : (
        <Avatar shape="square" size={88} icon={<UserOutlined />} />
      )}
      {editable ? (
        <Space size={0}>
          <Upload
            accept={ACCEPT}
            showUploadList={false}
            beforeUpload={(file) => {
              // Checked here for a quick answer; the server checks the content again.
              if (file.size > MAX_BYTES) {
                void message.error(t('childPhoto.tooLarge'));
                return Upload.LIST_IGNORE;
              }
              upload.mutate({ id: child.id, file }, { onSuccess: () => void message.success(t('childPhoto.saved')), onError: (e) => showError(e) });
              return false;
            }}
          >
            <Button size="small" type="link" icon={<CameraOutlined />} loading={upload.isPending} data-testid="child-photo-upload">
              {t(child.photo ? 'childPhoto.replace' : 'childPhoto.add')}
            </Button>
          </Upload>
          {child.photo ? (
            <Popconfirm title={t('childPhoto.removeConfirm')} okText={t('childPhoto.remove')} onConfirm={() => remove.mutate(child.id, { onError: (e) => showError(e) })}>
              <Button size="small" type="link" danger icon={<DeleteOutlined />} loading={remove.isPending} aria-label={t('childPhoto.remove')} />
            </Popconfirm>
          ) : null}
        </Space>
      ) : null}
    </div>
  );
}
