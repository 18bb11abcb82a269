import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

/** /auth/me names the user; the profile fields come from /users/{id}, which everyone may read for themselves. */
export async function getMe() {
  const me = await unwrap(api.GET('/api/v1/auth/me'));
  return unwrap(api.GET('/api/v1/users/{id}', byId(Number(me.id))));
}
export type Me = Awaited<ReturnType<typeof getMe>>;

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: getMe });
}

export const useUpdateProfile = () =>
  useInvalidating(['me'], ({ me, email, fullName }: { me: Me; email: string; fullName: string }) =>
    unwrap(
      api.PUT('/api/v1/users/{id}', {
        ...byId(Number(me.id)),
        // Send what we have, unchanged, so a PUT that replaces the whole user keeps role and status.
        body: { email, fullName, role: me.role, disabled: me.disabled ?? false },
      }),
    ),
  );

export function useChangePassword() {
  return useMutation({
    mutationFn: ({ id, currentPassword, newPassword }: { id: Me['id']; currentPassword: string; newPassword: string }) =>
      unwrap(api.PUT('/api/v1/users/{id}/password', { ...byId(Number(id)), body: { currentPassword, newPassword } })),
  });
}
