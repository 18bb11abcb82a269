import { Tabs } from '@mantine/core';
import { IconBell, IconFileText, IconMail, IconRoute } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useCan } from '@/lib/auth/useSession';

const TABS = [
  { value: '/notifications', label: 'History', icon: IconBell, admin: false },
  { value: '/notifications/smtp', label: 'SMTP settings', icon: IconMail, admin: true },
  { value: '/notifications/templates', label: 'Templates', icon: IconFileText, admin: true },
  { value: '/notifications/rule', label: 'Default rule', icon: IconRoute, admin: true },
] as const;

/** The notifications area: the history for everyone, and the admin pages beside it as tabs. */
export default function NotificationsTabs() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const isAdmin = useCan('settings:manage');
  const tabs = TABS.filter((t) => isAdmin || !t.admin);
  const current = tabs.find((t) => t.value !== '/notifications' && pathname.startsWith(t.value))?.value ?? '/notifications';
  return (
    <>
      {tabs.length > 1 && (
        <Tabs value={current} onChange={(v) => v && navigate(v)} mb="md" aria-label="Notifications pages">
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} />}>
                {t.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
      )}
      <Outlet />
    </>
  );
}
