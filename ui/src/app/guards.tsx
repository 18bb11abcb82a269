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

/** Sends signed-out users to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'signed-out') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function RequireAction({ action, children }: { action: Action; children: ReactNode }) {
  const allowed = useCan(action);
  if (!allowed) return <NotFound title="Not allowed" message="Your role does not give access to this page." />;
  return <>{children}</>;
}
