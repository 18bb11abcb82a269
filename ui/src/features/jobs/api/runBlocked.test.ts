import { describe, expect, it } from 'vitest';
import { runBlockedReason } from './runBlocked';

describe('why Run is disabled', () => {
  it('names the first reason that applies', () => {
    expect(runBlockedReason({ canRun: false, dirty: true, targetCount: 0 })).toBe('Running jobs needs the operator role.');
    expect(runBlockedReason({ canRun: true, dirty: true, targetCount: 0 })).toMatch(/^Save or discard your changes/);
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: 0 })).toMatch(/^No target matches this job/);
  });

  it('lets a saved job with targets run, and does not guess while targets load', () => {
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: 2 })).toBeNull();
    expect(runBlockedReason({ canRun: true, dirty: false, targetCount: null })).toBeNull();
  });
});
