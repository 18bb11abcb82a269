import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import { byId } from '@/lib/api/paths';
import { login } from './login';

export type FirstPasswordInput = { id: string | number; username: string; currentPassword: string; newPassword: string };

/**
 * Replaces a password someone else chose. The change ends every session of the account, so it signs in again
 * with the new password: the new session no longer carries the requirement.
 */
export async function chooseFirstPassword({ id, username, currentPassword, newPassword }: FirstPasswordInput) {
  await unwrap(api.PUT('/api/v1/users/{id}/password', { ...byId(Number(id)), body: { currentPassword, newPassword } }));
  return login({ username, password: newPassword });
}

export function useChooseFirstPassword() {
  return useMutation({ mutationFn: chooseFirstPassword });
}
