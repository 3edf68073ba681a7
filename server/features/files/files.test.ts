import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { childInput } from '../children/children.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { phoneJpeg, uploadPhoto } from './files.test-data.js';

const VILLAGE = '431202001201';

describe(`child photo and file storage (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let otherDirector: Session;
  let otherCounty: Session;
  let child: ChildDetail;
  const filesOnDisk = () => {
    const root = path.join(t.deps.config.dataDir, 'files');
    return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [];
  };
  const fetchFile = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    otherDirector = await signIn(t, 'director-431202001202');
    otherCounty = await signIn(t, 'county-431221');
    const res = await director.request('POST', '/api/children', childInput({ idNumber: null }));
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
    expect(child.photo).toBeNull();
  });
  afterAll(() => t.close());

  it('stores a photo upright and small, without its EXIF location, and shows it on the child file', async () => {
    const res = await uploadPhoto(director, child.id, await phoneJpeg(3000, 2000));
    expect(res.status, res.body).toBe(200);
    const photo = (res.json() as ChildDetail).photo!;
    expect(photo.url).toBe(`/api/files/${photo.id}`);
    expect((await director.request('GET', `/api/children/${child.id}`)).json()).toMatchObject({ photo: { id: photo.id } });

    const file = await fetchFile(director, photo.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(file.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([2048, 1365]);
    // Nothing of the camera's metadata is on disk either.
    const stored = filesOnDisk();
    expect(stored).toHaveLength(1);
    expect(fs.readFileSync(stored[0]!).includes('TestPhone')).toBe(false);
  });

  it('keeps each change in the history, and the earlier photo stays as history', async () => {
    const first = (await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail;
    const res = await uploadPhoto(director, child.id, await sharp({ create: { width: 20, height: 20, channels: 4, background: '#fff0' } }).png().toBuffer(), 'p.png');
    expect(res.status, res.body).toBe(200);
    const second = (res.json() as ChildDetail).photo!;
    expect(second.id).not.toBe(first.photo!.id);
    const history = (await director.request('GET', `/api/children/${child.id}/history`)).json() as { items: { action: string; changes: { field: string; from: unknown; to: unknown }[] }[] };
    const photoChanges = history.items.filter((h) => h.action === 'photo');
    expect(photoChanges.map((h) => h.changes[0])).toEqual(
      expect.arrayContaining([
        { field: 'photo', from: null, to: first.photo!.id },
        { field: 'photo', from: first.photo!.id, to: second.id },
      ]),
    );
    expect((await fetchFile(director, first.photo!.url)).statusCode).toBe(200);

    const removed = await director.request('DELETE', `/api/children/${child.id}/photo`);
    expect(removed.status, removed.body).toBe(200);
    expect((removed.json() as ChildDetail).photo).toBeNull();
    expect((await director.request('DELETE', `/api/children/${child.id}/photo`)).status).toBe(404);
  });

  it('refuses a file that is not a photo, or too large, naming the field, and stores nothing', async () => {
    const before = filesOnDisk().length;
    const text = await uploadPhoto(director, child.id, Buffer.from('not an image at all'), 'fake.jpg');
    expect(text.status).toBe(400);
    expect(text.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'file' } });
    expect(text.body).toContain('须为 JPEG、PNG 或 WebP 格式的照片');
    const gif = await uploadPhoto(director, child.id, await sharp({ create: { width: 5, height: 5, channels: 3, background: '#000' } }).gif().toBuffer(), 'a.gif');
    expect(gif.status).toBe(400);
    const big = await uploadPhoto(director, child.id, Buffer.alloc(10 * 1024 * 1024 + 10, 1));
    expect(big.status).toBe(400);
    expect(big.body).toContain('照片不能超过 10 MB');
    expect(filesOnDisk().length).toBe(before);
  });

  it('serves a photo only to those who may read its child: anyone else gets the same 404 as a missing file', async () => {
    const res = await uploadPhoto(director, child.id, await phoneJpeg());
    const url = (res.json() as ChildDetail).photo!.url;
    expect((await fetchFile(otherDirector, url)).statusCode).toBe(404);
    expect((await fetchFile(otherCounty, url)).statusCode).toBe(404);
    expect((await fetchFile(director, '/api/files/01234567-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await uploadPhoto(otherCounty, child.id, await phoneJpeg())).status).toBe(404);
  });

  it('writes nothing when the file cannot take a photo (closed)', async () => {
    const supervisor = await signIn(t, 'supervisor-431202001000');
    const other = (await director.request('POST', '/api/children', childInput({ idNumber: null, name: '李四', birthDate: '2013-05-05' }))).json() as ChildDetail;
    await supervisor.request('POST', `/api/children/${other.id}/approve`, {});
    const closed = await supervisor.request('POST', `/api/children/${other.id}/close`, { reason: 'moved_away' });
    expect(closed.status, closed.body).toBe(200);
    const before = filesOnDisk().length;
    const res = await uploadPhoto(director, other.id, await phoneJpeg());
    expect(res.status).toBe(409);
    expect(filesOnDisk().length).toBe(before);
  });
});
