/**
 * Says so when the phone is offline (issue 15 §1): "showing what was loaded when last online"
 * while the page has what it needs, "no offline data" when a request of the page failed for want
 * of a network (then whatever navigator.onLine says). The service worker keeps the app itself, so this is the only sign of it; the
 * data kept offline is another layer's (IndexedDB).
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert } from 'antd';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { isApiError } from '../api/client.js';
import { meKey } from '../api/session.js';
import { chinaDateTime } from '../../../../domain/china-time.js';
import { useT } from '../i18n/index.js';
import { publishServedOffline, useServedOffline } from './bridge.js';
import { useLocation } from 'react-router';

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/**
 * True while some query of the page has nothing to show for want of a network: its request got
 * no answer (a network error), or it waits for the signal with no data (paused: the browser said
 * it went offline).
 */
function useNetworkFailure(): boolean {
  const queryCache = useQueryClient().getQueryCache();
  const failing = () =>
    queryCache.getAll().some((query) => {
      if (query.getObserversCount() === 0) return false;
      const { error, fetchStatus, data } = query.state;
      return (isApiError(error) && error.code === 'NETWORK') || (fetchStatus === 'paused' && data === undefined);
    });
  const [failed, setFailed] = useState(failing);
  useEffect(() => {
    setFailed(failing());
    return queryCache.subscribe(() => setFailed(failing()));
    // failing reads the cache it was made with.
  }, [queryCache]);
  return failed;
}

export function OfflineNotice() {
  const t = useT();
  const online = useOnline();
  const failed = useNetworkFailure();
  const queryClient = useQueryClient();
  // Back online: the session is read again (offline it may have come from the kept copy, without its CSRF token).
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current) void queryClient.invalidateQueries({ queryKey: meKey });
    wasOnline.current = online;
  }, [online, queryClient]);
  const kept = useServedOffline();
  // Each page says for itself whether it shows the phone's copy.
  const { pathname } = useLocation();
  useEffect(() => publishServedOffline(null), [pathname]);
  // navigator.onLine can say online with no data getting through (a weak signal, a reload offline): a failed request says more.
  if (online && !failed && kept === null) return null;
  if (kept !== null) {
    const message = t('offline.kept', { time: chinaDateTime(kept) });
    return <Alert className="offline-notice" data-testid="offline-notice" type="info" showIcon banner message={failed ? `${message}${t('offline.keptPartly')}` : message} />;
  }
  return (
    <Alert
      className="offline-notice"
      data-testid="offline-notice"
      type={failed ? 'warning' : 'info'}
      showIcon
      banner
      message={t(failed ? 'offline.noData' : 'offline.lastSeen')}
    />
  );
}
