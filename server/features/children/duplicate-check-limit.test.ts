/** The duplicate check is throttled per signed-in user (issue 11 §3): it must not become a way to probe ID numbers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../domain/api.js';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../../test/harness.js';

describe(`duplicate check limit (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // The default: 30 checks a minute per user.
    t = await createTestApp({ duplicateCheckRate: 30 });
  });
  afterAll(() => t.close());

  const probe = (i: number) => ({ name: '王小明', birthDate: '2015-03-10', idNumber: null, regionCode: '431202001201', excludeId: `probe-${i}` });

  it('answers 30 checks a minute per user, then 429 with Retry-After in the user language; other users are not held up', async () => {
    const director = await signIn(t, 'director-431202001201');
    for (let i = 0; i < 30; i++) expect((await director.request('POST', '/api/children/duplicates', probe(i))).status, `check ${i + 1}`).toBe(200);

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/children/duplicates',
      headers: { cookie: director.cookie, 'x-csrf-token': director.csrf },
      payload: probe(30),
    });
    expect(res.statusCode).toBe(429);
    const seconds = Number(res.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(res.json<ErrorBody>().error).toEqual({ code: 'TOO_MANY_REQUESTS', message: `请求过于频繁，请在 ${seconds} 秒后再试` });
    const english = await director.request('POST', '/api/children/duplicates', probe(31), { 'accept-language': 'en-US' });
    expect(english.status).toBe(429);
    expect((english.json() as ErrorBody).error.message).toMatch(/^Too many requests; try again in \d+ seconds$/);

    // A second session of the same user shares the limit; another user has his own.
    const again = await signIn(t, 'director-431202001201');
    expect((await again.request('POST', '/api/children/duplicates', probe(32))).status).toBe(429);
    const supervisor = await signIn(t, 'supervisor-431202001000');
    expect((await supervisor.request('POST', '/api/children/duplicates', probe(33))).status).toBe(200);
  });

  it('asks a signed-out caller to sign in first: 401, not 429', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/children/duplicates', payload: probe(40) });
    expect(res.statusCode).toBe(401);
  });
});
