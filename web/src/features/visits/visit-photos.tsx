import { CameraOutlined, CloseOutlined, LoadingOutlined } from '@ant-design/icons';
import { App, Button, Image, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { FileRef } from '../../../../domain/children/schema.js';
import { useT } from './strings.js';
import { useShowApiError } from '../../shared/api-feedback.js';

export const MAX_VISIT_PHOTOS = 9;
const ACCEPT = 'image/jpeg,image/png,image/webp';
const MAX_BYTES = 10 * 1024 * 1024;

interface Pending {
  key: string;
  preview: string;
}

interface VisitPhotosProps {
  /** Sends one file to the server and answers its reference (the visit attaches it when saved). */
  upload: (file: File) => Promise<FileRef>;
  value?: FileRef[];
  onChange?: (value: FileRef[]) => void;
  id?: string;
}

/**
 * Up to nine photos, each uploaded the moment it is chosen (a weak signal then
 * only has the visit itself left to send), shown as thumbnails with a remove
 * button. A photo taken off here stays unattached and is never shown with the visit.
 */
export function VisitPhotos({ upload, value = [], onChange, id }: VisitPhotosProps) {
  const t = useT();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [pending, setPending] = useState<Pending[]>([]);
  // Several uploads may finish between two renders: each adds to the latest list, not to the one it started with.
  const latest = useRef(value);
  latest.current = value;
  const previews = useRef(new Map<string, string>());
  useEffect(() => {
    const urls = previews.current;
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const room = MAX_VISIT_PHOTOS - value.length - pending.length;

  const start = (file: File) => {
    const preview = URL.createObjectURL(file);
    const key = `${file.name}-${file.size}-${preview}`;
    setPending((list) => [...list, { key, preview }]);
    upload(file)
      .then((ref) => {
        previews.current.set(ref.id, preview);
        const next = [...latest.current, ref];
        latest.current = next;
        onChange?.(next);
      })
      .catch((error: unknown) => {
        URL.revokeObjectURL(preview);
        showError(error);
      })
      .finally(() => setPending((list) => list.filter((item) => item.key !== key)));
  };

  const remove = (photo: FileRef) => {
    const next = latest.current.filter((item) => item.id !== photo.id);
    latest.current = next;
    onChange?.(next);
  };

  let accepted = 0;
  return (
    <div className="visit-photos" id={id} data-testid="visit-photos">
      <Image.PreviewGroup>
        {value.map((photo, index) => (
          <div key={photo.id} className="visit-photo" data-testid="visit-photo">
            <Image src={previews.current.get(photo.id) ?? photo.url} width={76} height={76} className="visit-photo-image" alt={t('visit.photoAlt', { n: index + 1 })} />
            <Button
              size="small"
              shape="circle"
              icon={<CloseOutlined />}
              className="visit-photo-remove"
              aria-label={t('visit.photoRemove')}
              onClick={() => remove(photo)}
              data-testid="visit-photo-remove"
            />
          </div>
        ))}
      </Image.PreviewGroup>
      {pending.map((item) => (
        <div key={item.key} className="visit-photo visit-photo-pending">
          <img src={item.preview} width={76} height={76} className="visit-photo-image" alt="" />
          <LoadingOutlined className="visit-photo-spinner" />
        </div>
      ))}
      {room > 0 ? (
        <Upload
          accept={ACCEPT}
          multiple
          showUploadList={false}
          beforeUpload={(file) => {
            // Checked here for a quick answer; the server checks the content again.
            if (file.size > MAX_BYTES) {
              void message.error(t('visit.photoTooLarge'));
              return Upload.LIST_IGNORE;
            }
            // A multiple choice may hold more than there is room for: the first ones are kept.
            if (accepted >= room) {
              void message.warning(t('visit.photoLimit', { max: MAX_VISIT_PHOTOS }));
              return Upload.LIST_IGNORE;
            }
            accepted += 1;
            start(file);
            return false;
          }}
        >
          <button type="button" className="visit-photo-add" data-testid="visit-photo-add">
            <CameraOutlined />
            <span>{t('visit.photoAdd')}</span>
          </button>
        </Upload>
      ) : null}
    </div>
  );
}
