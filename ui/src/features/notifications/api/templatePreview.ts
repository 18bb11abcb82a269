import type { components } from '@/lib/api/client';
import type { NotificationEvent } from './notifications';

type RunSummary = Pick<components['schemas']['RunSummaryDto'], 'id' | 'status'>;

/** The run status each event comes from, so a template is previewed against a run that would have sent it (`missed` has no run: any run's job). */
const EVENT_STATUS: Partial<Record<NotificationEvent, RunSummary['status']>> = {
  started: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  timed_out: 'timed_out',
};

/** The newest run that would have caused this event; any run when there is none (a preview still shows the layout). */
export function previewRunFor<T extends RunSummary>(runs: readonly T[], event: NotificationEvent): T | undefined {
  return runs.find((r) => r.status === EVENT_STATUS[event]) ?? (event === 'started' ? runs.find((r) => r.status !== 'queued') : undefined) ?? runs[0];
}

/** The template parts a 400 names: `subject`, `html`, `text` (any other field comes back under `other`). */
export function templateFieldErrors(errors: Record<string, string>): { subject?: string; html?: string; text?: string; other: string[] } {
  const out: { subject?: string; html?: string; text?: string; other: string[] } = { other: [] };
  for (const [key, message] of Object.entries(errors)) {
    if (key === 'subject' || key === 'html' || key === 'text') out[key] = message;
    else out.other.push(key ? `${key}: ${message}` : message);
  }
  return out;
}
