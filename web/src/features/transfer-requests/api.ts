import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { OutgoingTransferRequest, TransferRequests, type TransferRequestInput } from '../../../../domain/children/transfer-requests.js';
import { request } from '../../shared/api/client.js';

/** Transfer requests (issue 12 §1): the open ones about files of the scope, and one's own. */
const ROOT = 'transfer-requests';

export function useTransferRequests(enabled = true) {
  return useQuery({ queryKey: [ROOT], queryFn: () => request(TransferRequests, '/api/transfer-requests'), enabled });
}

export function useRequestTransfer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TransferRequestInput) => request(OutgoingTransferRequest, '/api/transfer-requests', { method: 'POST', body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ROOT] }),
  });
}

function useDecision<T>(fn: (input: T) => Promise<TransferRequests>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => {
      queryClient.setQueryData([ROOT], data);
      void queryClient.invalidateQueries({ queryKey: ['children'] });
      void queryClient.invalidateQueries({ queryKey: ['worklists'] });
    },
  });
}

export function useAcceptTransfer() {
  return useDecision((id: string) => request(TransferRequests, `/api/transfer-requests/${encodeURIComponent(id)}/accept`, { method: 'POST', body: {} }));
}

export function useDeclineTransfer() {
  return useDecision(({ id, reason }: { id: string; reason: string }) => request(TransferRequests, `/api/transfer-requests/${encodeURIComponent(id)}/decline`, { method: 'POST', body: { reason } }));
}
