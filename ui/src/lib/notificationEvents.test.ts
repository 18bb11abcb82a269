import { describe, expect, it } from 'vitest';
import { eventLabel, NOTIFICATION_EVENT_OPTIONS, NOTIFICATION_EVENTS } from './notificationEvents';

describe('notification events', () => {
  it('lists every event once with a readable label', () => {
    expect(NOTIFICATION_EVENTS).toEqual(['started', 'succeeded', 'failed', 'cancelled', 'timed_out', 'missed']);
    expect(NOTIFICATION_EVENT_OPTIONS.find((o) => o.value === 'timed_out')?.label).toBe('Timed out');
    expect(eventLabel('missed')).toBe('Missed (schedule)');
  });
  it('shows an event a newer server sends as it is, and none as a dash', () => {
    expect(eventLabel('paged')).toBe('paged');
    expect(eventLabel(null)).toBe('—');
  });
});
