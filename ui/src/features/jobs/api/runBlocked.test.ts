import { describe, expect, it } from 'vitest';
import { runBlockedReason } from './runBlocked';

describe('why Run is disabled', () => {
  it('names the first reason that applies', () => {
    expect(runBlockedReason({ canRun: false, dirty: true, targetCount: 0 })).toBe('Running jobs needs the operator role.');
    expect(runBlockedReason({ canRun: true, dirty: true, targetCount: 0 })).toMatch(/^Save or discard your changes/);
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: 0 })).toMatch(/^No target matches this job/);
  });

  it('names a blackout window refusing manual runs, except to an admin, who may override it', () => {
    const blackout = { name: 'Freeze', until: null };
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: 2, blackout })).toBe(
      "The blackout window 'Freeze' refuses manual runs of this job. Only an admin can override it.",
    );
    expect(runBlockedReason({ canRun: true, dirty: true, targetCount: 2, blackout })).toMatch(/^Save or discard/);
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: 2, blackout, canOverrideBlackout: true })).toBeNull();
  });

  it('lets a saved job with targets run, and does not guess while targets load', () => {
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: 2 })).toBeNull();
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: null })).toBeNull();
  });
});
