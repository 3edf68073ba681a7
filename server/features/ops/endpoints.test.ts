/**
 * Headers and endpoints (issue 11 §11): security headers on API answers and on the web app,
 * /metrics only with its token or to the host itself, the API documentation only for
 * signed-in staff and not at all in production unless asked for.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Api } from '../../core/http.js';
import { loadConfig, type AppConfig } from '../../core/config.js';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../../test/harness.js';
import { childInput } from '../children/children.test-data.js';
import { attachFile, organisationOfKind, referralInput, scanPdf } from '../referrals/referrals.test-data.js';

describe(`headers and endpoints (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let webRoot: string;
  const apps: Api[] = [];
  /** Another app over the same database, with other settings or a built web app. */
  const appWith = async (config: Partial<AppConfig>, options: { webRoot?: string } = {}) => {
    const app = await buildApp({ ...t.deps, config: { ...t.deps.config, ...config } }, { webRoot: options.webRoot ?? null });
    await app.ready();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    t = await createTestApp();
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-web-'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
    await t.close();
  });

  const expectSecurityHeaders = (headers: Record<string, unknown>, what: string) => {
    const csp = String(headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) {
      expect(csp, `${what}: ${directive}`).toContain(directive);
    }
    expect(csp, what).not.toMatch(/script-src[^;]*unsafe/);
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['x-frame-options'], what).toBe('DENY');
    // Not no-referrer: browsers would then send `Origin: null` on our own writes, which the CSRF check refuses.
    expect(headers['referrer-policy'], what).toBe('same-origin');
    expect(headers['cross-origin-opener-policy'], what).toBe('same-origin');
    expect(headers['cross-origin-resource-policy'], what).toBe('same-origin');
  };

  describe('security headers', () => {
    it('come with API answers, errors included', async () => {
      expectSecurityHeaders((await t.app.inject({ url: '/api/health' })).headers, 'GET /api/health');
      const signedOut = await t.app.inject({ url: '/api/me' });
      expect(signedOut.statusCode).toBe(401);
      expectSecurityHeaders(signedOut.headers, 'GET /api/me signed out');
      expectSecurityHeaders((await t.app.inject({ url: '/api/nope' })).headers, 'GET /api/nope');
    });

    it('come with the web app: index.html, and a client-side route answered with it', async () => {
      const web = await appWith({}, { webRoot });
      for (const url of ['/', '/children?page=2']) {
        const res = await web.inject({ url });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(/text\/html/);
        expectSecurityHeaders(res.headers, url);
      }
    });

    it('add HSTS and upgrade-insecure-requests only behind HTTPS (SECURE_COOKIES=1)', async () => {
      const plain = await t.app.inject({ url: '/api/health' });
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      expect(String(plain.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
      const secure = await (await appWith({ secureCookies: true })).inject({ url: '/api/health' });
      expect(String(secure.headers['strict-transport-security'])).toMatch(/max-age=\d{7,}/);
      expect(String(secure.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    });

    it('leave a downloaded document its own sandbox policy', async () => {
      const supervisor = await signIn(t, 'supervisor-431202001000');
      const child = await supervisor.request('POST', '/api/children', childInput({ name: '附件儿童', idNumber: null }));
      const referral = await supervisor.request('POST', `/api/children/${(child.json() as { id: string }).id}/referrals`, referralInput(await organisationOfKind(t.deps.db, 'police')));
      const referralId = (referral.json() as { id: string }).id;
      const attached = await attachFile(supervisor, referralId, 'scan.pdf', scanPdf());
      expect(attached.status).toBe(201);
      const res = await t.app.inject({ url: `/api/referrals/${referralId}/attachments/${(attached.json() as { id: string }).id}`, headers: { cookie: supervisor.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    });
  });

  describe('/metrics', () => {
    it('without METRICS_TOKEN answers only the host itself: another address gets 404', async () => {
      expect((await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
      const remote = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
      expect(remote.statusCode).toBe(404);
      expect(remote.body).not.toContain('shouhu_http');
    });

    it('behind a reverse proxy on the host (TRUST_PROXY=1), answers 404 to a forwarded client and to a forged X-Forwarded-For', async () => {
      const proxied = await appWith({ trustProxy: ['loopback'] });
      expect((await proxied.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(404);
      expect((await proxied.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(404);
      expect((await proxied.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    });

    it('with METRICS_TOKEN wants it as a Bearer token, from anywhere', async () => {
      const guarded = await appWith({ metricsToken: 'scrape-me-2026' });
      for (const authorization of [undefined, 'Bearer wrong-token', 'scrape-me-2026', 'Basic c2NyYXBlLW1lLTIwMjY=']) {
        const res = await guarded.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: authorization ? { authorization } : {} });
        expect(res.statusCode, String(authorization)).toBe(401);
        expect(res.body).not.toContain('shouhu_http');
      }
      const ok = await guarded.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: 'Bearer scrape-me-2026' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('shouhu_http_request_duration_seconds');
    });
  });

  describe('API documentation', () => {
    const docs = ['/api/docs', '/api/docs/json', '/api/docs/static/swagger-initializer.js', '/api/openapi.json'];

    it('is refused signed out (401) and to organisation users (403), served to staff', async () => {
      for (const url of docs) {
        const res = await t.app.inject({ url });
        expect(res.statusCode, url).toBe(401);
        expect(res.body, url).not.toContain('/api/children');
      }
      const agency = await signIn(t, 'agency-police');
      for (const url of docs) expect((await agency.request('GET', url)).status, url).toBe(403);
      const supervisor = await signIn(t, 'supervisor-431202001000');
      for (const url of docs) expect([200, 302], url).toContain((await supervisor.request('GET', url)).status);
    });

    it('is not served at all when off (the default with NODE_ENV=production, unless API_DOCS=1)', async () => {
      const production = await appWith({ apiDocs: false });
      const signedIn = await production.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'supervisor-431202001000', password: 'demo1234' } });
      const cookie = `shouhu_session=${signedIn.cookies.find((c) => c.name === 'shouhu_session')!.value}`;
      for (const url of docs) {
        expect((await production.inject({ url })).statusCode, url).toBe(404);
        expect((await production.inject({ url, headers: { cookie } })).statusCode, url).toBe(404);
      }
    });
  });

  it('behind a reverse proxy, the client is the address the proxy saw: one a client wrote into X-Forwarded-For is ignored', async () => {
    const proxied = await appWith({ trustProxy: ['loopback'] });
    await proxied.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '10.9.9.9, 203.0.113.77' },
      payload: { username: 'nobody-behind-proxy', password: 'wrong-guess-1' },
    });
    const row = await t.deps.db.selectFrom('audit_log').select('ip').where('target_id', '=', 'nobody-behind-proxy').executeTakeFirstOrThrow();
    expect(row.ip).toBe('203.0.113.77');
  });

  it('reads its settings from the environment', () => {
    expect(loadConfig({})).toMatchObject({ apiDocs: true, metricsToken: undefined, trustProxy: false, loginRatePerAddress: 10, loginRateGlobal: 300, duplicateCheckRate: 30 });
    expect(loadConfig({ NODE_ENV: 'production' }).apiDocs).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', API_DOCS: '1' }).apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: '0' }).apiDocs).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.0.6' }).trustProxy).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(loadConfig({ METRICS_TOKEN: 'abc' }).metricsToken).toBe('abc');
  });
});
