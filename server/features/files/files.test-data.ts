import sharp from 'sharp';
import { multipart } from '../children-import/import-test-files.js';
import type { Session } from '../../test/harness.js';

/** A small JPEG as a phone makes it: camera make and a GPS position in its EXIF. */
export function phoneJpeg(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a6' } })
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '27/1 33/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '110/1 0/1 0/1' } })
    .jpeg()
    .toBuffer();
}

export function uploadPhoto(session: Session, childId: string, content: Buffer, fileName = 'photo.jpg') {
  const { body, headers } = multipart(fileName, content);
  return session.request('POST', `/api/children/${childId}/photo`, body, headers);
}
