import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import { session } from '@/lib/auth/instance';
import { isRole } from '@/lib/auth/roles';

export type LoginInput = { username: string; password: string };

export async function login(input: LoginInput) {
  const tokens = await unwrap(api.POST('/api/v1/auth/login', { body: input }));
  const role = isRole(tokens.user.role) ? tokens.user.role : 'viewer';
  session.signIn(tokens, {
    id: tokens.user.id,
    username: tokens.user.username,
    role,
    mustChangePassword: tokens.user.mustChangePassword,
  });
  return tokens;
}

export function useLogin() {
  return useMutation({ mutationFn: login });
}
