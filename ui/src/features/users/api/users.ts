import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import type { Role } from '@/lib/auth/roles';

export type UsersQuery = { page: number; pageSize: number; search?: string; role?: Role };

export async function listUsers(q: UsersQuery) {
  return unwrap(
    api.GET('/api/v1/users', {
      params: { query: { Page: q.page, PageSize: q.pageSize, search: q.search || undefined, role: q.role || undefined } },
    }),
  );
}

export type UsersPage = Awaited<ReturnType<typeof listUsers>>;
export type User = UsersPage['items'][number];
export type UserId = User['id'];

export type CreateUserInput = { username: string; email: string; fullName: string; role: Role; password: string };
export type UpdateUserInput = { email: string; fullName: string; role: Role; disabled: boolean };

const usersKey = ['users'] as const;

export function useUsers(q: UsersQuery) {
  return useQuery({ queryKey: [...usersKey, q], queryFn: () => listUsers(q), placeholderData: keepPreviousData });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserInput) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: UserId; body: UpdateUserInput }) =>
      unwrap(api.PUT('/api/v1/users/{id}', { params: { path: { id: Number(id) } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: UserId) => unwrap(api.DELETE('/api/v1/users/{id}', { params: { path: { id: Number(id) } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey }),
  });
}
