import createClient from 'openapi-fetch';
import { session } from '@/lib/auth/instance';
import { absolute } from '@/lib/auth/session';
import { ApiError, toProblem } from './problem';
import type { paths } from './schema';

export type { components, paths } from './schema';

/** Typed client for everything in the generated OpenAPI schema. Same origin, relative URLs. */
export const api = createClient<paths>({
  baseUrl: typeof window !== 'undefined' ? window.location.origin : 'http://localhost',
  fetch: (request: Request) => session.fetch(request),
});

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Returns the data or throws an ApiError carrying the problem details. */
export async function unwrap<T>(promise: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await promise;
  } catch (err) {
    throw new ApiError(0, { title: 'The server could not be reached', detail: String((err as Error)?.message ?? err) });
  }
  const { data, error, response } = result;
  if (!response.ok) throw errorFrom(response, error);
  return data as T;
}

function errorFrom(response: Response, body: unknown): ApiError {
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(
    response.status,
    toProblem(body, response.status, response.statusText),
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

/** Opens a streaming response (text/event-stream) with the session's token; the caller reads the body. */
export async function openStream(path: string, signal: AbortSignal): Promise<Response> {
  const response = await session.fetch(new Request(absolute(path), { headers: { Accept: 'text/event-stream' }, signal }));
  if (!response.ok) {
    const body = await response.json().catch(() => undefined);
    throw errorFrom(response, body);
  }
  return response;
}
