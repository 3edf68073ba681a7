import { useQuery } from '@tanstack/react-query';
import { HomeSummary } from '../../../../domain/api.js';
import { InboxSummary } from '../../../../domain/referrals/schema.js';
import { PupilHome } from '../../../../domain/visits/schema.js';
import { request } from '../../shared/api/client.js';

export function useHomeSummary() {
  return useQuery({ queryKey: ['home'], queryFn: () => request(HomeSummary, '/api/home') });
}

/** An agency's home figures; the inbox's mutations invalidate ['referrals'], so these refresh with them. */
export function useInboxSummary() {
  return useQuery({ queryKey: ['referrals', 'home-inbox'], queryFn: () => request(InboxSummary, '/api/home/inbox') });
}

export function usePupilHome() {
  return useQuery({ queryKey: ['pupils', 'home'], queryFn: () => request(PupilHome, '/api/home/pupils') });
}
