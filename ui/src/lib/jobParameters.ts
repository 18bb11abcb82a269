import type { components } from '@/lib/api/client';

type ParameterType = NonNullable<components['schemas']['ParameterType']>;
type JobParameters = { parameters?: components['schemas']['JobDto']['parameters'] };

export type ParameterValue = string | number | boolean | null;

/** A parameter as the forms use it (the schema marks every field nullable because it also describes requests). */
export type Param = { name: string; type: ParameterType; required: boolean; default?: unknown; choices?: string[] | null; description?: string | null };

export function jobParams(job: JobParameters): Param[] {
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
      // A choice always has a value: the defined default, else the first choice.
      if (p.type === 'choice') return [p.name, p.default != null ? String(p.default) : (p.choices?.[0] ?? null)];
      return [p.name, p.default == null ? '' : String(p.default)];
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

/** A typed default for an int parameter: a whole number as a number; anything else as typed, so the server says why
 * at the field instead of the value being saved as null. */
export const intOrAsTyped = (v: string): number | string => (/^\s*-?\d+\s*$/.test(v) ? Number(v) : v);
