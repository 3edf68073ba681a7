import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { InboxReferral, ReferralAttachment, ReferralRecord } from '../../../domain/referrals/schema.js';
import { multipart } from '../children-import/import-test-files.js';
import { childInput, hanDigits } from '../children/children.test-data.js';
import { phoneJpeg } from '../files/files.test-data.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { attachFile, organisationOfKind, referralInput, scanPdf } from './referrals.test-data.js';

describe(`referral attachments (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let otherCounty: Session;
  let outsider: Session;
  let counsellor: Session;
  let police: Session;
  let counselling = '';
  let seq = 0;

  async function openReferral(): Promise<ReferralRecord> {
    seq++;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `附件${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${hanDigits(seq)}`, idNumber: null, birthDate: `2013-05-${String(seq).padStart(2, '0')}` }));
    expect(res.status, res.body).toBe(201);
    const child = res.json() as ChildDetail;
    const sent = await director.request('POST', `/api/children/${child.id}/referrals`, referralInput(counselling));
    expect(sent.status, sent.body).toBe(201);
    return sent.json() as ReferralRecord;
  }
  async function attach(s: Session, referralId: string, name: string, content: Buffer): Promise<ReferralAttachment> {
    const res = await attachFile(s, referralId, name, content);
    expect(res.status, res.body).toBe(201);
    return res.json() as ReferralAttachment;
  }
  /** A download with its headers and raw bytes. */
  const download = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  const auditRows = (action: string, targetId: string) =>
    t.deps.db.selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', action).where('target_id', '=', targetId).execute();

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, 'director-431202001201');
    supervisor = await signIn(t, 'supervisor-431202001000');
    otherCounty = await signIn(t, 'county-431221');
    outsider = await signIn(t, OUTSIDE.director);
    counsellor = await signIn(t, 'agency-counselling');
    police = await signIn(t, 'agency-police');
    counselling = await organisationOfKind(t.deps.db, 'counselling');
  });
  afterAll(() => t.close());

  it('the sender attaches a photo (re-encoded, location dropped) and a PDF scan (kept as sent); both sides list them', async () => {
    const r = await openReferral();
    expect(r.attachments).toEqual([]);
    expect(r.can.attach).toBe(true);
    const photo = await attach(director, r.id, 'C:\\相册\\情况说明.png', await phoneJpeg());
    const pdf = await attach(director, r.id, '诊断证明.pdf', scanPdf());
    expect(photo).toMatchObject({ name: '情况说明.jpg', mime: 'image/jpeg', url: `/api/referrals/${r.id}/attachments/${photo.id}` });
    expect(pdf).toMatchObject({ name: '诊断证明.pdf', mime: 'application/pdf', size: scanPdf().length });
    expect((await auditRows('referral.attach', r.id)).length).toBe(2);

    const staff = (await supervisor.request('GET', `/api/referrals/${r.id}`)).json() as ReferralRecord;
    expect(staff.attachments.map((a) => a.name)).toEqual(['情况说明.jpg', '诊断证明.pdf']);
    const inbox = (await counsellor.request('GET', `/api/inbox/referrals/${r.id}`)).json() as InboxReferral;
    expect(inbox.attachments.map((a) => [a.name, a.url])).toEqual([
      ['情况说明.jpg', `/api/inbox/referrals/${r.id}/attachments/${photo.id}`],
      ['诊断证明.pdf', `/api/inbox/referrals/${r.id}/attachments/${pdf.id}`],
    ]);

    const image = await download(supervisor, photo.url);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(image.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    const scan = await download(supervisor, pdf.url);
    expect(scan.statusCode).toBe(200);
    expect(scan.rawPayload.equals(scanPdf())).toBe(true);
    // A PDF is a download in a sandbox, never a page of this site.
    expect(scan.headers['content-disposition']).toMatch(/^attachment; .*filename\*=UTF-8''%E8%AF%8A/);
    expect(scan.headers['content-security-policy']).toContain('sandbox');
    expect(scan.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses what is not a photo or a complete PDF, naming the field in both languages, and stores nothing', async () => {
    const r = await openReferral();
    const cases: [string, Buffer][] = [
      ['report.pdf', Buffer.from('<html><script>alert(1)</script></html>')],
      ['truncated.pdf', scanPdf().subarray(0, 40)],
      ['photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0])],
    ];
    for (const [name, content] of cases) {
      const res = await attachFile(director, r.id, name, content);
      expect(res.status, name).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'attachment', message: '附件：须为照片（JPEG、PNG、WebP）或 PDF 扫描件' } });
    }
    const { body, headers } = multipart('a.txt', Buffer.from('hello'));
    const en = await director.request('POST', `/api/referrals/${r.id}/attachments`, body, { ...headers, 'accept-language': 'en-US' });
    expect(en.json()).toMatchObject({ error: { field: 'attachment', message: 'Attachment: must be a photo (JPEG, PNG, WebP) or a PDF scan' } });
    const big = await attachFile(director, r.id, 'big.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024), Buffer.from('%%EOF\n')]));
    expect(big.status).toBe(400);
    expect(big.json()).toMatchObject({ error: { field: 'attachment', message: '附件：不能超过 10 MB' } });
    expect(((await supervisor.request('GET', `/api/referrals/${r.id}`)).json() as ReferralRecord).attachments).toEqual([]);
  });

  it('the receiving agency downloads only while it has the child view, each download audited; any other referral, agency or scope is 404', async () => {
    const r = await openReferral();
    const other = await openReferral();
    const file = await attach(director, r.id, 'scan.pdf', scanPdf());
    const otherFile = await attach(supervisor, other.id, 'other.pdf', scanPdf());
    const inboxUrl = `/api/inbox/referrals/${r.id}/attachments/${file.id}`;

    const got = await download(counsellor, inboxUrl);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(scanPdf())).toBe(true);
    const rows = await auditRows('referral.attachment.read', file.id);
    expect(rows.map((row) => row.actor_username)).toEqual(['agency-counselling']);
    expect(JSON.stringify(rows[0]!.details)).toContain(r.id);
    // Staff downloads are not the audited agency read.
    expect((await download(supervisor, file.url)).statusCode).toBe(200);
    expect((await auditRows('referral.attachment.read', file.id)).length).toBe(1);

    // Another referral's file under this referral, the other agency, staff out of scope, the plain file route: all 404.
    expect((await download(counsellor, `/api/inbox/referrals/${r.id}/attachments/${otherFile.id}`)).statusCode).toBe(404);
    expect((await download(police, inboxUrl)).statusCode).toBe(404);
    expect((await download(supervisor, `/api/referrals/${other.id}/attachments/${file.id}`)).statusCode).toBe(404);
    for (const s of [otherCounty, outsider]) expect((await download(s, file.url)).statusCode).toBe(404);
    expect((await download(supervisor, `/api/files/${file.id}`)).statusCode).toBe(404);
    // An agency user cannot attach: the staff side of the referral does not exist for him.
    expect((await attachFile(counsellor, r.id, 'x.pdf', scanPdf())).status).toBe(404);
    expect((await attachFile(otherCounty, r.id, 'x.pdf', scanPdf())).status).toBe(404);

    // Later, while open, the sender adds one; once completed the agency loses them, staff keep them and cannot add.
    const later = await attach(supervisor, r.id, 'later.pdf', scanPdf());
    expect(((await counsellor.request('GET', `/api/inbox/referrals/${r.id}`)).json() as InboxReferral).attachments.map((a) => a.id)).toEqual([file.id, later.id]);
    for (const step of ['accept', 'start']) expect((await counsellor.request('POST', `/api/inbox/referrals/${r.id}/${step}`, {})).status).toBe(200);
    expect((await counsellor.request('POST', `/api/inbox/referrals/${r.id}/complete`, { feedback: '已完成评估' })).status).toBe(200);
    expect((await download(counsellor, inboxUrl)).statusCode).toBe(404);
    expect(((await counsellor.request('GET', `/api/inbox/referrals/${r.id}`)).json() as InboxReferral).attachments).toEqual([]);
    expect((await download(supervisor, file.url)).statusCode).toBe(200);
    const staff = (await supervisor.request('GET', `/api/referrals/${r.id}`)).json() as ReferralRecord;
    expect(staff.can.attach).toBe(false);
    const finished = await attachFile(director, r.id, 'late.pdf', scanPdf());
    expect(finished.status).toBe(400);
    expect(finished.json()).toMatchObject({ error: { field: 'state' } });
  });

  it('ends the agency download when the sender withdraws and when the agency declines', async () => {
    for (const end of ['withdraw', 'decline'] as const) {
      const r = await openReferral();
      const file = await attach(director, r.id, 'scan.pdf', scanPdf());
      const url = `/api/inbox/referrals/${r.id}/attachments/${file.id}`;
      expect((await download(counsellor, url)).statusCode).toBe(200);
      const res = end === 'withdraw' ? await director.request('POST', `/api/referrals/${r.id}/withdraw`, {}) : await counsellor.request('POST', `/api/inbox/referrals/${r.id}/decline`, { reason: '不在服务范围' });
      expect(res.status, res.body).toBe(200);
      expect((await download(counsellor, url)).statusCode, end).toBe(404);
    }
  });

  it('keeps at most ten attachments on a referral', async () => {
    const r = await openReferral();
    for (let i = 0; i < 10; i++) await attach(director, r.id, `p${i}.pdf`, scanPdf());
    const res = await attachFile(director, r.id, 'p10.pdf', scanPdf());
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { field: 'attachment' } });
  });
});
