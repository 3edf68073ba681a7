/**
 * The one way the web app talks to the server: same-origin cookies, the UI
 * language in Accept-Language, the session's CSRF token on every mutation,
 * and every answer parsed with the shared zod schema (no untyped JSON).
 */
import type { z } from 'zod';
import { ErrorBody } from '../../../domain/api.js';
import { getActiveLocale, translate } from '../i18n/index.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Structured details of some errors (e.g. DUPLICATE candidates, CONFLICT currentVersion). */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValue = string | number | boolean | null | undefined;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Login has no session yet, hence no CSRF token. */
  withoutCsrf?: boolean;
}

let csrfToken: string | null = null;

/** Remembers the token of the current session (from login or GET /api/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function request<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<z.output<S>> {
  const method = options.method ?? 'GET';
  const locale = getActiveLocale();
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && !options.withoutCsrf && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path + buildQuery(options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', translate(locale, 'common.error.network'));
  }

  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) {
      const { code, message, field, data } = parsed.data.error;
      throw new ApiError(response.status, code, message, field, data);
    }
    throw new ApiError(response.status, `HTTP_${response.status}`, translate(locale, 'common.error.http', { status: response.status }));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error(`Unexpected answer from ${method} ${path}`, parsed.error.issues);
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', translate(locale, 'common.error.unexpected'));
  }
  return parsed.data;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
