import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { NotFound } from '@/components/NotFound';
import type { Action } from '@/lib/auth/roles';
import { useCan, useSession } from '@/lib/auth/useSession';

export function FullPageLoader() {
  return (
    <Center h="60vh">
      <Loader />
    </Center>
  );
}

/**
 * Sends signed-out users to /login, and users who must replace a password someone else chose to /change-password,
 * remembering where they wanted to go. (The server refuses their requests anyway: this only shows why.)
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, user } = useSession();
  const location = useLocation();
  const from = location.pathname + location.search;
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'signed-out') return <Navigate to="/login" replace state={{ from }} />;
  if (user?.mustChangePassword) return <Navigate to="/change-password" replace state={{ from }} />;
  return <>{children}</>;
}

export function RequireAction({ action, children }: { action: Action; children: ReactNode }) {
  const allowed = useCan(action);
  if (!allowed) return <NotFound title="Not allowed" message="Your role does not give access to this page." />;
  return <>{children}</>;
}
