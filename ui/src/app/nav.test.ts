import { describe, expect, it } from 'vitest';
import { isActive, NAV_ITEMS, visibleNav } from './nav';

const labels = (role: Parameters<typeof visibleNav>[1]) => visibleNav(NAV_ITEMS, role).map((i) => i.label);

describe('navigation', () => {
  it('shows the admin section only to admins', () => {
    expect(labels('admin')).toEqual(['Dashboard', 'Runs', 'Jobs', 'Schedules', 'Targets', 'Credentials', 'Notifications', 'Users']);
    expect(labels('operator')).toEqual(['Dashboard', 'Runs', 'Jobs', 'Schedules', 'Targets', 'Credentials', 'Notifications']);
    expect(labels('viewer')).toContain('Notifications');
    expect(labels('viewer')).not.toContain('Users');
    expect(labels(null)).not.toContain('Users');
  });

  it('marks the current page, without the dashboard matching everything', () => {
    const dashboard = NAV_ITEMS[0];
    const targets = NAV_ITEMS.find((i) => i.path === '/targets')!;
    expect(isActive(dashboard, '/')).toBe(true);
    expect(isActive(dashboard, '/targets')).toBe(false);
    expect(isActive(targets, '/targets/42')).toBe(true);
    expect(isActive(targets, '/targetsx')).toBe(false);
  });
});
