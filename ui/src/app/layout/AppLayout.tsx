import { AppShell, Avatar, Burger, Divider, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconLogout, IconTopologyStar3, IconUser } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ThemeToggle } from '@/components/ThemeToggle';
import { session } from '@/lib/auth/instance';
import { useSession } from '@/lib/auth/useSession';
import { FullPageLoader } from '../guards';
import { isActive, NAV_ITEMS, visibleNav } from '../nav';
import { QuickSwitcher } from './QuickSwitcher';
import { focusPageSearch, isTyping } from './quickSwitch';

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { user } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const items = visibleNav(NAV_ITEMS, user?.role);
  const main = items.filter((i) => i.section !== 'admin');
  const admin = items.filter((i) => i.section === 'admin');

  const renderItem = (item: (typeof items)[number]) => (
    <NavLink
      key={item.path}
      component={Link}
      to={item.path}
      label={item.label}
      leftSection={<item.icon size={18} stroke={1.6} />}
      active={isActive(item, location.pathname)}
      onClick={close}
    />
  );

  // `/` focuses the page's search box, unless the user is typing somewhere (Ctrl+K is the quick switcher's own).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return;
      if (focusPageSearch()) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const logout = async () => {
    await session.logout();
    navigate('/login', { replace: true });
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'md', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Toggle navigation" />
            <IconTopologyStar3 size={24} color="var(--mantine-color-blue-6)" />
            <Text fw={700} size="lg">
              OpsConductor
            </Text>
          </Group>
          <Group gap="sm">
            <ThemeToggle />
            <Menu position="bottom-end" width={200}>
              <Menu.Target>
                <UnstyledButton aria-label="User menu" data-testid="user-menu">
                  <Group gap={6}>
                    <Avatar size="sm" radius="xl" color="blue">
                      {user?.username.slice(0, 2).toUpperCase()}
                    </Avatar>
                    <Text size="sm" visibleFrom="xs">
                      {user?.username}
                    </Text>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Signed in as {user?.role}</Menu.Label>
                <Menu.Item component={Link} to="/profile" leftSection={<IconUser size={16} />}>
                  Profile
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={logout}>
                  Log out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {main.map(renderItem)}
          {admin.length > 0 && (
            <>
              <Divider my="sm" label="Administration" labelPosition="left" />
              {admin.map(renderItem)}
            </>
          )}
        </AppShell.Section>
      </AppShell.Navbar>
      <QuickSwitcher />
      <AppShell.Main>
        <Suspense fallback={<FullPageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
