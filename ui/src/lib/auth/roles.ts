export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Actions the UI gates on. Names follow the API's role table in API.md. */
export type Action =
  | 'users:manage'
  | 'targets:write'
  | 'targets:check'
  | 'credentials:write'
  | 'jobs:write'
  | 'jobs:run'
  | 'runs:cancel'
  | 'schedules:write'
  | 'settings:manage'
  | 'blackouts:manage';

const OPERATOR_ACTIONS: readonly Action[] = [
  'targets:write',
  'targets:check',
  'credentials:write',
  'jobs:write',
  'jobs:run',
  'runs:cancel',
  'schedules:write',
];

const PERMISSIONS: Record<Role, ReadonlySet<Action>> = {
  viewer: new Set<Action>(),
  operator: new Set<Action>(OPERATOR_ACTIONS),
  admin: new Set<Action>([...OPERATOR_ACTIONS, 'users:manage', 'settings:manage', 'blackouts:manage']),
};

/** Whether a role may perform an action. Unknown or missing roles may do nothing. */
export function can(role: string | null | undefined, action: Action): boolean {
  if (!isRole(role)) return false;
  return PERMISSIONS[role].has(action);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
