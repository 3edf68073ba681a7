import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Me, Ok } from '../../../../domain/api.js';
import type { ChangePasswordInput, LoginInput } from '../../../../domain/api.js';
import type { Locale } from '../../../../domain/locale.js';
import { getActiveLocale } from '../i18n/index.js';
import { keepsOfflineWork, offlineSessionEnded, wipeOfflineWork } from '../offline/bridge.js';
import { forgetSession, lastOnlineSession, rememberSession } from '../offline/session-snapshot.js';
import { isApiError, request, setCsrfToken } from './client.js';

export const meKey = ['me'] as const;

/** Why the last session ended without the user signing out (shown once on the sign-in page). */
let sessionEndNotice: string | null = null;

export function noteSessionEnded(message: string): void {
  sessionEndNotice = message;
}

export function peekSessionEndNotice(): string | null {
  return sessionEndNotice;
}

/**
 * The signed-in session, or null when there is none (401). With no network, the session last
 * seen online (without its CSRF token), so the app opened offline draws its shell.
 */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await request(Me, '/api/me');
    setCsrfToken(me.csrfToken);
    rememberSession(me);
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      // The session the phone last saw has ended: its copy of the children goes now, before anyone signs in.
      const ended = lastOnlineSession();
      if (ended && keepsOfflineWork(ended)) offlineSessionEnded(ended.user.id);
      setCsrfToken(null);
      forgetSession();
      return null;
    }
    const kept = isApiError(error) && error.code === 'NETWORK' ? lastOnlineSession() : null;
    if (kept) return kept;
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: Infinity, retry: false });
}

/** The last session seen, for the one render between a session ending (401) and the guard's redirect. */
let lastSession: Me | null = null;

/**
 * The session inside the signed-in part of the app (the route guard guarantees it).
 * When a 401 ends the session, pages still mounted may render once more before the
 * guard redirects (React may render them concurrently): they get the ended session
 * rather than a crash.
 */
export function useSession(): Me {
  const { data } = useMe();
  if (data) {
    lastSession = data;
    return data;
  }
  if (lastSession) return lastSession;
  throw new Error('useSession outside a signed-in route');
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: LoginInput) => {
      const me = await request(Me, '/api/auth/login', { method: 'POST', body: input, withoutCsrf: true });
      setCsrfToken(me.csrfToken);
      // The language picked on the sign-in page is the user's latest choice: save it on the account.
      const locale = getActiveLocale();
      if (me.user.locale === locale) return me;
      return request(Me, '/api/me/preferences', { method: 'PATCH', body: { locale } }).catch(() => me);
    },
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      rememberSession(me);
      sessionEndNotice = null;
      // Nothing cached for a previous account may survive into this one.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      queryClient.setQueryData(meKey, me);
    },
  });
}

/** Unsaved visit forms of this user (the visit form's drafts, `shouhu.visitDraft.<user>.…`). */
function forgetDrafts(userId: string): void {
  try {
    const prefix = `shouhu.visitDraft.${userId}.`;
    for (const key of Object.keys(window.localStorage)) if (key.startsWith(prefix)) window.localStorage.removeItem(key);
  } catch {
    // Storage refused: nothing was kept.
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => request(Ok, '/api/auth/logout', { method: 'POST' }),
    onSettled: async () => {
      // What the phone kept for this user goes with the session: the copy, the outbox, the drafts.
      const me = queryClient.getQueryData<Me | null>(meKey);
      if (me) forgetDrafts(me.user.id);
      // Never held up by it: a store another page still holds open is deleted as soon as that page lets go.
      if (me && keepsOfflineWork(me)) {
        const wiped = wipeOfflineWork(me.user.id).catch((error: unknown) => console.warn('offline store not wiped', error));
        await Promise.race([wiped, new Promise((resolve) => setTimeout(resolve, 3000))]);
      }
      setCsrfToken(null);
      forgetSession();
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      queryClient.setQueryData(meKey, null);
    },
  });
}

export function useUpdatePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (locale: Locale) => request(Me, '/api/me/preferences', { method: 'PATCH', body: { locale } }),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(meKey, me);
    },
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => request(Ok, '/api/me/password', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}

/** Sets or clears the own work phone; the session comes back with it. */
export function useUpdatePhone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (phone: string | null) => request(Me, '/api/me/phone', { method: 'PATCH', body: { phone } }),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(meKey, me);
    },
  });
}
