import { describe, expect, it } from 'vitest';
import { can } from './roles';

describe('role permissions', () => {
  it('viewers may change nothing', () => {
    for (const a of ['users:manage', 'targets:write', 'credentials:write', 'jobs:run', 'targets:check'] as const) {
      expect(can('viewer', a)).toBe(false);
    }
  });
  it('operators write targets, credentials and jobs but do not manage users', () => {
    expect(can('operator', 'targets:write')).toBe(true);
    expect(can('operator', 'credentials:write')).toBe(true);
    expect(can('operator', 'jobs:run')).toBe(true);
    expect(can('operator', 'users:manage')).toBe(false);
    expect(can('operator', 'settings:manage')).toBe(false);
  });
  it('admins may do everything', () => {
    expect(can('admin', 'users:manage')).toBe(true);
    expect(can('admin', 'targets:write')).toBe(true);
  });
  it('unknown or missing roles may do nothing', () => {
    expect(can(undefined, 'targets:write')).toBe(false);
    expect(can('root', 'users:manage')).toBe(false);
    expect(can('__proto__', 'users:manage')).toBe(false);
  });
});
