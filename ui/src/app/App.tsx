import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router-dom';
import { session } from '@/lib/auth/instance';
import { queryClient } from '@/lib/queryClient';
import { router } from './router';
import { theme } from './theme';

// Another user's cached data must never show after a sign-out or an expired session.
let lastStatus = session.getState().status;
session.subscribe(() => {
  const { status } = session.getState();
  if (status === 'signed-out' && lastStatus !== 'signed-out') queryClient.clear();
  lastStatus = status;
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <RouterProvider router={router} />
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
