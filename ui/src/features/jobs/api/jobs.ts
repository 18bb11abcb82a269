import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

type Schemas = components['schemas'];
export type ParameterType = NonNullable<Schemas['ParameterType']>;
export type StepType = NonNullable<Schemas['StepType']>;
export const PARAMETER_TYPES: readonly ParameterType[] = ['string', 'int', 'bool', 'choice', 'secret'];
export const STEP_TYPES: readonly StepType[] = ['command', 'shell_script', 'powershell'];

export { NOTIFICATION_EVENT_OPTIONS, type NotificationEvent } from '@/lib/notificationEvents';

export type Job = Schemas['JobDto'];
export type JobInput = Schemas['JobDefinition'];
export type JobParameter = Schemas['JobParameter'];
export type JobStep = Schemas['JobStep'];
export type ImportResult = Schemas['ImportResult'];
export type TargetSummary = Schemas['TargetDto'];

const key = ['jobs'] as const;

export function useJobs(q: { page: number; pageSize: number; search?: string }) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => unwrap(api.GET('/api/v1/jobs', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export function useJob(id: number | null) {
  return useQuery({
    queryKey: [...key, 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/jobs/{id}', byId(id!))),
    enabled: id != null,
  });
}

/** Target names for the job's target picker (read here; features do not import each other). */
export function useTargetOptions() {
  return useQuery({
    queryKey: ['jobs', 'target-options'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/targets', { params: { query: { page: 1, pageSize: 500 } } }));
      return page.items.map((t) => ({ value: String(t.id), label: `${t.name} (${t.hostname})` }));
    },
  });
}

/**
 * The targets a selector matches: the ones picked by id plus every target carrying any of the
 * tags (one GET /targets?tag=X per tag), without duplicates, sorted by name.
 */
export function useTargetPreview(targetIds: number[], tags: string[]) {
  return useQuery({
    queryKey: ['jobs', 'target-preview', [...targetIds].sort(), [...tags].sort()],
    queryFn: async () => {
      const byTag = await Promise.all(
        tags.map((tag) => unwrap(api.GET('/api/v1/targets', { params: { query: { tag: [tag], page: 1, pageSize: 500 } } }))),
      );
      const byIds = await Promise.all(
        targetIds.map((id) => unwrap(api.GET('/api/v1/targets/{id}', byId(id))).catch(() => null)),
      );
      return mergeTargets([...byTag.flatMap((p) => p.items), ...byIds.filter((t): t is TargetSummary => t !== null)]);
    },
    placeholderData: keepPreviousData,
  });
}

export function mergeTargets<T extends { id: number; name: string }>(list: T[]): T[] {
  const seen = new Map<number, T>();
  for (const t of list) if (!seen.has(t.id)) seen.set(t.id, t);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const useCreateJob = () => useInvalidating(key, (body: JobInput) => unwrap(api.POST('/api/v1/jobs', { body })));
export const useUpdateJob = () =>
  useInvalidating(key, ({ id, body }: { id: number; body: JobInput }) => unwrap(api.PUT('/api/v1/jobs/{id}', { ...byId(id), body })));
export const useDeleteJob = () => useInvalidating(key, (id: number) => unwrap(api.DELETE('/api/v1/jobs/{id}', byId(id))));

/** POST /jobs/import with the YAML text as the body (application/yaml). */
export const useImportJobs = () =>
  useInvalidating(key, (yaml: string) =>
    unwrap(
      api.POST('/api/v1/jobs/import', {
        body: yaml,
        headers: { 'Content-Type': 'application/yaml' },
        bodySerializer: (b: string) => b,
      }),
    ),
  );

/** GET /jobs/{id}/export as text (application/yaml). */
export async function exportJob(id: number): Promise<string> {
  return unwrap(api.GET('/api/v1/jobs/{id}/export', { ...byId(id), parseAs: 'text' })) as Promise<string>;
}

/** Hands a text to the browser as a file download. */
export function downloadText(filename: string, text: string, type = 'application/yaml') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const useStartRun = () =>
  useInvalidating(['runs'], ({ id, parameters }: { id: number; parameters: Record<string, unknown> }) =>
    // RunRequest.parameters is published as Record<string, never> (a JsonElement dictionary); any JSON value is accepted.
    unwrap(api.POST('/api/v1/jobs/{id}/runs', { ...byId(id), body: { parameters: parameters as Record<string, never>, trigger: 'manual' } })),
  );

export type ParameterValue = string | number | boolean | null;

/** A parameter as the forms use it (the schema marks every field nullable because it also describes requests). */
export type Param = { name: string; type: ParameterType; required: boolean; default?: unknown; choices?: string[] | null; description?: string | null };

export function jobParams(job: Pick<Job, 'parameters'>): Param[] {
  return (job.parameters ?? []).map((p) => ({
    name: p.name ?? '',
    type: p.type ?? 'string',
    required: !!p.required,
    default: p.default,
    choices: p.choices,
    description: p.description,
  }));
}

/** Initial form values for running a job: each parameter's default, typed. */
export function initialParameterValues(params: Param[]): Record<string, ParameterValue> {
  return Object.fromEntries(
    params.map((p): [string, ParameterValue] => {
      if (p.type === 'bool') return [p.name, p.default === true || p.default === 'true'];
      if (p.type === 'int') return [p.name, p.default === undefined || p.default === null || p.default === '' ? '' : Number(p.default)];
      if (p.type === 'secret') return [p.name, ''];
      return [p.name, p.default == null ? (p.type === 'choice' ? null : '') : String(p.default)];
    }),
  );
}

/** Client-side check before POST /jobs/{id}/runs; the server validates again. */
export function parameterErrors(params: Param[], values: Record<string, ParameterValue>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of params) {
    const v = values[p.name];
    const empty = v === '' || v === null || v === undefined;
    if (p.type === 'bool') continue;
    if (empty) {
      if (p.required) errors[p.name] = `${p.name} is required`;
      continue;
    }
    if (p.type === 'int' && !Number.isInteger(Number(v))) errors[p.name] = `${p.name} must be a whole number`;
    if (p.type === 'choice' && p.choices && !p.choices.includes(String(v))) errors[p.name] = `Choose one of ${p.choices.join(', ')}`;
  }
  return errors;
}

/** The body's `parameters`: typed values, empty optional ones left out. */
export function toRunParameters(params: Param[], values: Record<string, ParameterValue>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const p of params) {
    const v = values[p.name];
    if (p.type === 'bool') out[p.name] = v === true;
    else if (v === '' || v === null || v === undefined) continue;
    else if (p.type === 'int') out[p.name] = Number(v);
    else out[p.name] = String(v);
  }
  return out;
}
