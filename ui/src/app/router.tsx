import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet } from 'react-router-dom';
import { NotFound } from '@/components/NotFound';
import { FullPageLoader, RequireAction, RequireAuth } from './guards';
import { AppLayout } from './layout/AppLayout';

// Every page is its own chunk so the first load stays small.
const LoginPage = lazy(() => import('@/features/auth/routes/LoginPage'));
const ChangePasswordPage = lazy(() => import('@/features/auth/routes/ChangePasswordPage'));
const DashboardPage = lazy(() => import('@/features/dashboard/routes/DashboardPage'));
const UsersPage = lazy(() => import('@/features/users/routes/UsersPage'));
const ProfilePage = lazy(() => import('@/features/profile/routes/ProfilePage'));
const TargetsPage = lazy(() => import('@/features/targets/routes/TargetsPage'));
const TargetPage = lazy(() => import('@/features/targets/routes/TargetPage'));
const CredentialsPage = lazy(() => import('@/features/credentials/routes/CredentialsPage'));
const JobsPage = lazy(() => import('@/features/jobs/routes/JobsPage'));
const JobEditorPage = lazy(() => import('@/features/jobs/routes/JobEditorPage'));
const RunsPage = lazy(() => import('@/features/runs/routes/RunsPage'));
const RunDetailPage = lazy(() => import('@/features/runs/routes/RunDetailPage'));
const SchedulesPage = lazy(() => import('@/features/schedules/routes/SchedulesPage'));
const ScheduleDetailPage = lazy(() => import('@/features/schedules/routes/ScheduleDetailPage'));
const BlackoutWindowsPage = lazy(() => import('@/features/schedules/routes/BlackoutWindowsPage'));
const NotificationsTabs = lazy(() => import('@/features/notifications/components/NotificationsTabs'));
const NotificationsPage = lazy(() => import('@/features/notifications/routes/NotificationsPage'));
const SmtpSettingsPage = lazy(() => import('@/features/notifications/routes/SmtpSettingsPage'));
const TemplatesPage = lazy(() => import('@/features/notifications/routes/TemplatesPage'));
const DefaultRulePage = lazy(() => import('@/features/notifications/routes/DefaultRulePage'));

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<FullPageLoader />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    // Outside the app's layout: until the password is changed, there is nothing else to reach.
    path: '/change-password',
    element: (
      <Suspense fallback={<FullPageLoader />}>
        <ChangePasswordPage />
      </Suspense>
    ),
  },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'runs', element: <RunsPage /> },
      { path: 'runs/:id', element: <RunDetailPage /> },
      { path: 'jobs', element: <JobsPage /> },
      { path: 'jobs/:id', element: <JobEditorPage /> },
      { path: 'schedules', element: <SchedulesPage /> },
      { path: 'schedules/blackout-windows', element: <BlackoutWindowsPage /> },
      { path: 'schedules/:id', element: <ScheduleDetailPage /> },
      { path: 'targets', element: <TargetsPage /> },
      { path: 'targets/:id', element: <TargetPage /> },
      { path: 'credentials', element: <CredentialsPage /> },
      { path: 'profile', element: <ProfilePage /> },
      {
        // The history for every role the API allows (viewers too); settings, templates and the default rule for admins.
        path: 'notifications',
        element: <NotificationsTabs />,
        children: [
          { index: true, element: <NotificationsPage /> },
          {
            element: (
              <RequireAction action="settings:manage">
                <Outlet />
              </RequireAction>
            ),
            children: [
              { path: 'smtp', element: <SmtpSettingsPage /> },
              { path: 'templates', element: <TemplatesPage /> },
              { path: 'rule', element: <DefaultRulePage /> },
            ],
          },
        ],
      },
      {
        path: 'users',
        element: (
          <RequireAction action="users:manage">
            <Outlet />
          </RequireAction>
        ),
        children: [{ index: true, element: <UsersPage /> }],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
