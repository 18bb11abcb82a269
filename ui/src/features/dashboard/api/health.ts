import { useQuery } from '@tanstack/react-query';
import { absolute } from '@/lib/auth/session';
import { api, unwrap, type components } from '@/lib/api/client';
import { ApiError, toProblem } from '@/lib/api/problem';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | string;
export type HealthCheck = { name: string; status: HealthStatus; description?: string; durationMs?: number };
export type Health = { status: HealthStatus; service?: string; version?: string; services: string[]; checks: HealthCheck[] };

/** `checks` may hold plain statuses or objects; both become a list of named checks. */
export function normalizeChecks(raw: unknown): HealthCheck[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, unknown>).map(([name, value]) => {
    if (typeof value === 'string') return { name, status: value };
    if (typeof value === 'boolean') return { name, status: value ? 'healthy' : 'unhealthy' };
    const v = (value ?? {}) as Record<string, unknown>;
    const duration = v.durationMs ?? v.duration;
    return {
      name,
      status: typeof v.status === 'string' ? v.status : 'unknown',
      description: typeof v.description === 'string' ? v.description : typeof v.error === 'string' ? v.error : undefined,
      durationMs: typeof duration === 'number' ? duration : undefined,
    };
  });
}

/** The checks in groups: every `database:*` check in one (summarised in one card), the others each on their own. */
export function groupChecks(checks: HealthCheck[]): { databases: HealthCheck[]; others: HealthCheck[] } {
  const isDatabase = (c: HealthCheck) => c.name === 'database' || c.name.startsWith('database:');
  return { databases: checks.filter(isDatabase), others: checks.filter((c) => !isDatabase(c)) };
}

/** "8 databases · all healthy", or "1 of 8 databases unhealthy" (the worst status counted). */
export function summarizeDatabases(databases: HealthCheck[]): { status: HealthStatus; text: string } {
  const count = `${databases.length} database${databases.length === 1 ? '' : 's'}`;
  const bad = databases.filter((d) => d.status.toLowerCase() !== 'healthy');
  if (bad.length === 0) return { status: 'healthy', text: `${count} · all healthy` };
  const status = bad.some((d) => d.status.toLowerCase() === 'unhealthy') ? 'unhealthy' : 'degraded';
  return { status, text: `${bad.length} of ${count} not healthy` };
}

/** GET /health answers 503 with the same body when unhealthy, so the body is read either way. */
export async function getHealth(): Promise<Health> {
  const res = await fetch(absolute('/health'), { headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!body || typeof body.status !== 'string') throw new ApiError(res.status, toProblem(body, res.status, res.statusText));
  return {
    status: body.status,
    service: body.service,
    version: body.version,
    services: Array.isArray(body.services) ? body.services.map(String) : [],
    checks: normalizeChecks(body.checks),
  };
}

export function useHealth() {
  return useQuery({ queryKey: ['health'], queryFn: getHealth, refetchInterval: 30_000 });
}

export type ProcessHealth = components['schemas']['ProcessHealth'];

/** Every process of the deployment (one for the all-in-one host), as GET /api/v1/system/processes reports them. */
export function useProcesses() {
  return useQuery({
    queryKey: ['health', 'processes'],
    queryFn: () => unwrap(api.GET('/api/v1/system/processes')),
    retry: false,
    refetchInterval: 30_000,
  });
}
