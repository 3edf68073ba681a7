import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LetterKind } from '../../../../domain/letters/rules.js';
import { ChildLetters, LetterDocument, type LetterSignInput } from '../../../../domain/letters/schema.js';
import { postForm, request } from '../../shared/api/client.js';

/** A child's letters; signing one also changes the work lists' coverage and the timeline. */
const ROOT = 'letters';

export function useChildLetters(childId: string, enabled = true) {
  return useQuery({ queryKey: [ROOT, childId], queryFn: () => request(ChildLetters, `/api/children/${encodeURIComponent(childId)}/letters`), enabled });
}

/** The letter to print (each fetch is audited on the server, so it is not refetched in the background). */
export function useLetterDocument(childId: string, kind: LetterKind) {
  return useQuery({
    queryKey: [ROOT, childId, 'document', kind],
    queryFn: () => request(LetterDocument, `/api/children/${encodeURIComponent(childId)}/letters/${kind}/document`),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
}

function useLetterMutation<T>(fn: (input: T) => Promise<ChildLetters>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => {
      queryClient.setQueryData([ROOT, data.childId], data);
      void queryClient.invalidateQueries({ queryKey: ['worklists'] });
      void queryClient.invalidateQueries({ queryKey: ['visits', 'timeline'] });
    },
  });
}

export function useSignLetter(childId: string) {
  return useLetterMutation((input: LetterSignInput) => request(ChildLetters, `/api/children/${encodeURIComponent(childId)}/letters`, { method: 'POST', body: input }));
}

/** The scan of a signed paper: a photo of it (the server checks and re-encodes it). */
export function useAttachLetterScan() {
  return useLetterMutation(({ letterId, file }: { letterId: string; file: File }) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return postForm(ChildLetters, `/api/letters/${encodeURIComponent(letterId)}/scan`, form);
  });
}
