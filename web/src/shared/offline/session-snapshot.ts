/**
 * The signed-in session as last seen online, so that the app opened with no signal still draws
 * its shell (the layout, the user's menu, his scope) instead of an error (issue 15 §1). It holds
 * the staff member's own account, role, scope and permissions, no child's data, and never the
 * CSRF token: a write offline fails until the session is read again online. It is forgotten when
 * the session ends (sign-out, 401). The server still decides every request.
 */
import { Me } from '../../../../domain/api.js';

const STORAGE_KEY = 'shouhu.offlineSession';

export function rememberSession(me: Me): void {
  const { csrfToken: _token, ...kept } = me;
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(kept));
  } catch {
    // Storage full or refused (a private window): the app still works online.
  }
}

export function forgetSession(): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}

/** The last session seen online, without a CSRF token; null when none was kept or it no longer reads as one. */
export function lastOnlineSession(): Me | null {
  let text: string | null = null;
  try {
    text = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    const parsed = Me.safeParse({ ...(JSON.parse(text) as object), csrfToken: '' });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
