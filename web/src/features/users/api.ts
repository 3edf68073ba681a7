import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UserPage, UserRecord, UserWithPassword } from '../../../../domain/api.js';
import type { UserCreateInput, UserUpdateInput } from '../../../../domain/api.js';
import type { Role } from '../../../../domain/roles.js';
import { request } from '../../shared/api/client.js';

export type UserSort = 'username' | '-username' | 'createdAt' | '-createdAt' | 'lastLoginAt' | '-lastLoginAt';

export interface UserListFilters {
  q?: string;
  role?: Role;
  region?: string;
  disabled?: 'true' | 'false';
  sort: UserSort;
  page: number;
  pageSize: number;
}

export function useUsers(filters: UserListFilters) {
  return useQuery({
    queryKey: ['users', 'list', filters],
    queryFn: () => request(UserPage, '/api/users', { query: { ...filters } }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UserCreateInput) => request(UserWithPassword, '/api/users', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UserUpdateInput }) =>
      request(UserRecord, `/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request(UserWithPassword, `/api/users/${encodeURIComponent(id)}/reset-password`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
