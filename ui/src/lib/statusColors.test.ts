import { DEFAULT_THEME } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { STATUS_COLORS, statusColor, statusLabel, type NotificationStatus, type OccurrenceStatus, type RunStatus, type ServiceHealth, type StepStatus, type TargetStatus } from './statusColors';

// Written out here as the API publishes them; the Record types make the compiler reject a list that misses one.
const RUN: Record<RunStatus, true> = { queued: true, running: true, succeeded: true, failed: true, cancelled: true, timed_out: true, skipped: true };
const STEP: Record<StepStatus, true> = { ...RUN };
const TARGET: Record<TargetStatus, true> = {
  unknown: true,
  healthy: true,
  unreachable: true,
  auth_failed: true,
  host_key_mismatch: true,
  host_key_unconfirmed: true,
  certificate_rejected: true,
};
const HEALTH: Record<ServiceHealth, true> = { healthy: true, degraded: true, unhealthy: true };
const OCCURRENCE: Record<OccurrenceStatus, true> = { pending: true, fired: true, skipped: true, missed: true, failed: true };
const NOTIFICATION: Record<NotificationStatus, true> = { pending: true, sent: true, failed: true };
const ALL = [...new Set([...Object.keys(STEP), ...Object.keys(TARGET), ...Object.keys(HEALTH), ...Object.keys(OCCURRENCE), ...Object.keys(NOTIFICATION)])];

describe('status colours', () => {
  it.each(ALL)('%s has a theme colour and a readable label', (status) => {
    expect(Object.keys(DEFAULT_THEME.colors)).toContain(STATUS_COLORS[status as keyof typeof STATUS_COLORS]);
    expect(statusColor(status)).toBe(STATUS_COLORS[status as keyof typeof STATUS_COLORS]);
    const label = statusLabel(status);
    expect(label).not.toContain('_');
    expect(label.length).toBeGreaterThan(0);
  });

  it('has no entry beyond the known statuses', () => {
    expect(Object.keys(STATUS_COLORS).sort()).toEqual([...ALL].sort());
  });

  it('tells success, trouble and failure apart', () => {
    expect(statusColor('succeeded')).toBe(statusColor('healthy'));
    expect(statusColor('failed')).not.toBe(statusColor('succeeded'));
    expect(statusColor('unreachable')).toBe(statusColor('failed'));
    expect(statusColor('running')).not.toBe(statusColor('queued'));
    expect(statusColor('fired')).toBe(statusColor('succeeded'));
    expect(statusColor('missed')).not.toBe(statusColor('fired'));
  });

  it('shows an unknown status in gray with its words spaced', () => {
    expect(statusColor('paused_by_operator')).toBe('gray');
    expect(statusLabel('host_key_mismatch')).toBe('host key mismatch');
  });
});
