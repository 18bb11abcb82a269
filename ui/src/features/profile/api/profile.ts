import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';

/** /auth/me names the user; the profile fields come from /users/{id}, which everyone may read for themselves. */
export async function getMe() {
  const me = await unwrap(api.GET('/api/v1/auth/me'));
  return unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id: Number(me.id) } } }));
}
export type Me = Awaited<ReturnType<typeof getMe>>;

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: getMe });
}

export function useUpdateProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ me, email, fullName }: { me: Me; email: string; fullName: string }) =>
      unwrap(
        api.PUT('/api/v1/users/{id}', {
          params: { path: { id: Number(me.id) } },
          // Send what we have, unchanged, so a PUT that replaces the whole user keeps role and status.
          body: { email, fullName, role: me.role, disabled: me.disabled ?? false },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me'] }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: ({ id, currentPassword, newPassword }: { id: Me['id']; currentPassword: string; newPassword: string }) =>
      unwrap(api.PUT('/api/v1/users/{id}/password', { params: { path: { id: Number(id) } }, body: { currentPassword, newPassword } })),
  });
}
