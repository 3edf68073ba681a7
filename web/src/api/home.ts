import { useQuery } from '@tanstack/react-query';
import { HomeSummary } from '../../../domain/api.js';
import { request } from './client.js';

export function useHomeSummary() {
  return useQuery({ queryKey: ['home'], queryFn: () => request(HomeSummary, '/api/home') });
}
