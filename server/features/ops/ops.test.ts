import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../../test/harness.js';

describe(`operations (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports health with the database in use', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: dialectUnderTest() });
  });

  it('serves Prometheus metrics that count requests per route pattern, to the host itself', async () => {
    await t.app.inject({ url: '/api/health' });
    const res = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/shouhu_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="200"\} [1-9]/);
  });

  it('publishes an OpenAPI document describing the fixed API surface to signed-in staff', async () => {
    const director = await signIn(t, 'director-431202001201');
    const res = await director.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/health', '/api/auth/login', '/api/auth/logout', '/api/me', '/api/regions', '/api/regions/{code}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const docs = await director.request('GET', '/api/docs');
    expect([200, 302]).toContain(docs.status);
  });

  it('answers an unknown API path with a JSON 404, never an HTML page', async () => {
    const res = await t.app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: '记录不存在' } });
  });

  it('answers malformed JSON with a 400 in the user language, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'accept-language': 'en-US' },
      payload: '{"username": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('JSON') as string } });
  });
});
