import { describe, expect, it } from 'vitest';
import { eventLabel, NOTIFICATION_EVENT_OPTIONS, NOTIFICATION_EVENTS } from './notificationEvents';

describe('notification events', () => {
  it('lists every event once with a readable label', () => {
    expect(NOTIFICATION_EVENTS).toEqual(['started', 'succeeded', 'failed', 'cancelled', 'timed_out']);
    expect(NOTIFICATION_EVENT_OPTIONS.find((o) => o.value === 'timed_out')?.label).toBe('Timed out');
  });
  it('shows an event a newer server sends as it is, and none as a dash', () => {
    expect(eventLabel('missed')).toBe('missed');
    expect(eventLabel(null)).toBe('—');
  });
});
