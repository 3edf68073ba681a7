import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderKind, OrderState } from '../../../../domain/orders/rules.js';
import { OrderPage, OrderRecord, type OrderEntryInput, type OrderInput, type OrderTransitionInput } from '../../../../domain/orders/schema.js';
import { request } from '../../shared/api/client.js';

/** Orders and what they change (the child's timeline) refresh together. */
const ROOT = 'orders';

export interface OrderListFilters {
  kind: OrderKind | undefined;
  state: OrderState | undefined;
  active: 'true' | 'false' | undefined;
  page: number;
  pageSize: number;
}

export function useOrders(filters: OrderListFilters) {
  return useQuery({ queryKey: [ROOT, 'list', filters], queryFn: () => request(OrderPage, '/api/orders', { query: { ...filters } }), placeholderData: keepPreviousData });
}

export function useOrder(id: string) {
  return useQuery({ queryKey: [ROOT, 'detail', id], queryFn: () => request(OrderRecord, `/api/orders/${encodeURIComponent(id)}`) });
}

function useOrderMutation<T>(fn: (input: T) => Promise<OrderRecord>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT] });
      void queryClient.invalidateQueries({ queryKey: ['children'] });
      void queryClient.invalidateQueries({ queryKey: ['visits', 'timeline'] });
    },
  });
}

export function useRecordOrder(childId: string) {
  return useOrderMutation((input: OrderInput) => request(OrderRecord, `/api/children/${encodeURIComponent(childId)}/orders`, { method: 'POST', body: input }));
}

export function useRecordOrderEntry(id: string) {
  return useOrderMutation((input: OrderEntryInput) => request(OrderRecord, `/api/orders/${encodeURIComponent(id)}/entries`, { method: 'POST', body: input }));
}

export function useTransitionOrder(id: string) {
  return useOrderMutation((input: OrderTransitionInput) => request(OrderRecord, `/api/orders/${encodeURIComponent(id)}/transitions`, { method: 'POST', body: input }));
}
