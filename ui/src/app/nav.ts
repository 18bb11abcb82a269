import { IconBell, IconCalendarTime, IconDashboard, IconKey, IconListCheck, IconPlayerPlay, IconServer, IconUsers, type Icon } from '@tabler/icons-react';
import { can, type Action, type Role } from '@/lib/auth/roles';

export type NavItem = {
  label: string;
  path: string;
  icon: Icon;
  /** Only shown to roles allowed this action. */
  requires?: Action;
  section?: 'main' | 'admin';
};

/** The sidebar, in order. New areas (schedules, notifications) are added here. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Dashboard', path: '/', icon: IconDashboard },
  { label: 'Runs', path: '/runs', icon: IconPlayerPlay },
  { label: 'Jobs', path: '/jobs', icon: IconListCheck },
  { label: 'Schedules', path: '/schedules', icon: IconCalendarTime },
  { label: 'Targets', path: '/targets', icon: IconServer },
  { label: 'Credentials', path: '/credentials', icon: IconKey },
  { label: 'Notifications', path: '/notifications', icon: IconBell },
  { label: 'Users', path: '/users', icon: IconUsers, requires: 'users:manage', section: 'admin' },
];

export function visibleNav(items: readonly NavItem[], role: Role | null | undefined): NavItem[] {
  return items.filter((item) => !item.requires || can(role, item.requires));
}

/** Whether a nav item is the current page: exact for the root, prefix for the rest. */
export function isActive(item: NavItem, pathname: string): boolean {
  if (item.path === '/') return pathname === '/';
  return pathname === item.path || pathname.startsWith(`${item.path}/`);
}
