/** RFC 9457 problem details, as every OpsConductor service answers errors. */
export type ProblemDetails = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: Record<string, string[]>;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
    readonly retryAfterSeconds?: number,
  ) {
    super(problemMessage(problem, status));
    this.name = 'ApiError';
  }

  get fieldErrors(): Record<string, string> {
    return fieldErrors(this.problem.errors);
  }
}

/** Turns whatever the server sent into problem details, even when it is not JSON. */
export function toProblem(body: unknown, status: number, statusText = ''): ProblemDetails {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const errors = normalizeErrors(b.errors);
    return {
      type: typeof b.type === 'string' ? b.type : undefined,
      title: typeof b.title === 'string' ? b.title : undefined,
      detail: typeof b.detail === 'string' ? b.detail : undefined,
      instance: typeof b.instance === 'string' ? b.instance : undefined,
      status: typeof b.status === 'number' ? b.status : status,
      errors,
    };
  }
  if (typeof body === 'string' && body.trim()) {
    return { status, title: statusText || undefined, detail: body.trim().slice(0, 300) };
  }
  return { status, title: statusText || undefined };
}

function normalizeErrors(raw: unknown): Record<string, string[]> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const messages = Array.isArray(value) ? value.map(String) : [String(value)];
    out[key] = messages;
  }
  return out;
}

/** The sentence to show a person: detail first, then title, then a generic fallback. */
export function problemMessage(problem: ProblemDetails | undefined, status?: number): string {
  if (problem?.detail) return problem.detail;
  if (problem?.title) return problem.title;
  const code = problem?.status ?? status;
  if (code === 0 || code === undefined) return 'The server could not be reached';
  return `Request failed (HTTP ${code})`;
}

/**
 * Maps server field names to form field names: ASP.NET may answer `Email`, `$.email`,
 * `request.email`, `secret.Password` or `steps[0].script`; forms use camelCase paths such as `email`,
 * `secret.password`, `steps.0.script`.
 */
export function fieldName(serverKey: string): string {
  // `notifications[0].recipients[1]` → `notifications.0.recipients.1`, the paths Mantine forms use for list items.
  let key = serverKey.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1');
  key = key.replace(/^(request|body|dto|command)\./i, '');
  return key
    .split('.')
    .map((part) => (part ? part[0].toLowerCase() + part.slice(1) : part))
    .join('.');
}

/** One message per field, all messages for that field joined. */
export function fieldErrors(errors: Record<string, string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!errors) return out;
  for (const [key, messages] of Object.entries(errors)) {
    if (!messages.length) continue;
    const name = fieldName(key);
    out[name] = out[name] ? `${out[name]} ${messages.join(' ')}` : messages.join(' ');
  }
  return out;
}

/** Errors for fields the form does not show, so they are not silently lost. */
export function unmatchedFieldErrors(errors: Record<string, string>, formFields: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([name]) => !formFields.includes(name))
    .map(([name, msg]) => (name ? `${name}: ${msg}` : msg));
}

/**
 * Moves errors about one item of a list field onto the field itself, for inputs that edit a whole list at once
 * (a TagsInput of recipients): with `['recipients']`, `notifications.0.recipients.1` becomes
 * `notifications.0.recipients`, messages joined. `listFields` are the last segment of such a field's path.
 */
export function collapseListItemErrors(errors: Record<string, string>, listFields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const parts = key.split('.');
    const last = parts[parts.length - 1];
    const collapsed = /^\d+$/.test(last) && parts.length > 1 && listFields.includes(parts[parts.length - 2]) ? parts.slice(0, -1).join('.') : key;
    out[collapsed] = out[collapsed] ? `${out[collapsed]} ${message}` : message;
  }
  return out;
}

/** How one form names the server's fields: renames for flattened sections, list fields edited as one input. */
export type FormErrorMapping = {
  /** A form path for a server path the form keeps elsewhere (`ssh.hostKeyFingerprint` → `hostKeyFingerprint`). */
  rename?: (path: string) => string;
  /** Last path segments of list fields edited by one input (a TagsInput of recipients), see collapseListItemErrors. */
  listFields?: readonly string[];
};

/** Whether `path` (`steps.0.script`) names a value the form holds, so an input can show its error. */
export function hasPath(values: unknown, path: string): boolean {
  let node: unknown = values;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return path !== '';
}

/**
 * Splits a problem's field errors into those the form shows at a field (paths present in `values`, after the
 * mapping) and the rest, as lines for the form's banner, so no message the server sent is lost.
 */
export function splitFieldErrors(
  errors: Record<string, string>,
  values: unknown,
  mapping: FormErrorMapping = {},
): { fields: Record<string, string>; unmatched: string[] } {
  const renamed: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const name = mapping.rename ? mapping.rename(key) : key;
    renamed[name] = renamed[name] ? `${renamed[name]} ${message}` : message;
  }
  const collapsed = mapping.listFields?.length ? collapseListItemErrors(renamed, mapping.listFields) : renamed;
  const fields: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const [key, message] of Object.entries(collapsed)) {
    if (hasPath(values, key)) fields[key] = message;
    else unmatched.push(key ? `${key}: ${message}` : message);
  }
  return { fields, unmatched };
}

/**
 * What a form's error banner says for a failed save: the server's sentence, and every field error the form has no
 * field for. When all errors sit at fields it says so, rather than a bare "Validation failed".
 */
export function formErrorSummary(err: unknown, values: unknown, mapping?: FormErrorMapping): { message: string; unmatched: string[] } {
  if (!(err instanceof ApiError)) return { message: err instanceof Error ? err.message : problemMessage(undefined), unmatched: [] };
  const { fields, unmatched } = splitFieldErrors(err.fieldErrors, values, mapping);
  const fieldCount = Object.keys(fields).length;
  if (err.problem.detail) return { message: err.problem.detail, unmatched };
  if (fieldCount === 0 && unmatched.length === 0) return { message: err.message, unmatched };
  const title = (err.problem.title ?? 'The server refused the changes').replace(/\.$/, '');
  const where = fieldCount ? ` Fix the ${fieldCount === 1 ? 'field' : `${fieldCount} fields`} marked below.` : '';
  return { message: `${title}.${where}`, unmatched };
}
