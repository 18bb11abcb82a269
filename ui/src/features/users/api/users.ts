import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';
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

export const useCreateUser = () => useInvalidating(usersKey, (body: CreateUserInput) => unwrap(api.POST('/api/v1/users', { body })));

export const useUpdateUser = () =>
  useInvalidating(usersKey, ({ id, body }: { id: UserId; body: UpdateUserInput }) =>
    unwrap(api.PUT('/api/v1/users/{id}', { ...byId(Number(id)), body })),
  );

export const useDeleteUser = () => useInvalidating(usersKey, (id: UserId) => unwrap(api.DELETE('/api/v1/users/{id}', byId(Number(id)))));
