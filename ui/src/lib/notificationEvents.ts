import type { components } from '@/lib/api/schema';

/** What a run did that a notification rule reacts to: job rules (features/jobs) and the notifications pages share it. */
export type NotificationEvent = NonNullable<components['schemas']['NotificationEvent']>;

// A Record over the generated enum: an event the server adds fails the typecheck until it has a label.
const EVENT_LABELS: Record<NotificationEvent, string> = {
  started: 'Started',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
  missed: 'Missed (schedule)',
};

export const NOTIFICATION_EVENTS = Object.keys(EVENT_LABELS) as NotificationEvent[];
export const NOTIFICATION_EVENT_OPTIONS = NOTIFICATION_EVENTS.map((value) => ({ value, label: EVENT_LABELS[value] }));

/** `timed_out` → `Timed out`; an unknown event (a newer server) as it is. */
export const eventLabel = (e: string | null) => (e ? (EVENT_LABELS[e as NotificationEvent] ?? e) : '—');
