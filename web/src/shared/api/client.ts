/**
 * The one way the web app talks to the server: same-origin cookies, the UI
 * language in Accept-Language, the session's CSRF token on every mutation,
 * and every answer parsed with the shared zod schema (no untyped JSON).
 */
import type { z } from 'zod';
import { ErrorBody } from '../../../../domain/api.js';
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

/** Turns a failed answer into an ApiError (the server's `{error}` body when there is one). */
async function errorOf(response: Response, locale: ReturnType<typeof getActiveLocale>): Promise<ApiError> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success) {
    const { code, message, field, data } = parsed.data.error;
    return new ApiError(response.status, code, message, field, data);
  }
  return new ApiError(response.status, `HTTP_${response.status}`, translate(locale, 'common.error.http', { status: response.status }));
}

/** Sends a multipart form (a file upload) with the same language and CSRF headers as `request`. */
export async function postForm<S extends z.ZodType>(schema: S, path: string, form: FormData, query?: Record<string, QueryValue>): Promise<z.output<S>> {
  const locale = getActiveLocale();
  // No Content-Type: the browser sets multipart/form-data with its boundary.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path + buildQuery(query), { method: 'POST', headers, credentials: 'same-origin', body: form });
  } catch {
    throw new ApiError(0, 'NETWORK', translate(locale, 'common.error.network'));
  }
  if (!response.ok) throw await errorOf(response, locale);
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error(`Unexpected answer from POST ${path}`, parsed.error.issues);
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', translate(locale, 'common.error.unexpected'));
  }
  return parsed.data;
}

/** The file name of a Content-Disposition header (RFC 5987 `filename*` first). */
function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const raw = star?.[1] ?? plain?.[1];
  if (!raw) return fallback;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Fetches a file and hands it to the browser as a download; a refusal becomes an ApiError, not a page of JSON.
 * GET by default; `post` sends a JSON body (with the CSRF token) instead, for a download that carries what must not travel in an address.
 */
export async function download(path: string, fallbackName: string, query?: Record<string, QueryValue>, post?: { body: unknown }): Promise<void> {
  const locale = getActiveLocale();
  const headers: Record<string, string> = { 'Accept-Language': locale };
  if (post) {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path + buildQuery(query), { method: post ? 'POST' : 'GET', headers, credentials: 'same-origin', ...(post ? { body: JSON.stringify(post.body) } : {}) });
  } catch {
    throw new ApiError(0, 'NETWORK', translate(locale, 'common.error.network'));
  }
  if (!response.ok) throw await errorOf(response, locale);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
