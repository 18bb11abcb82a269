import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrors, formErrorSummary, hasPath, splitFieldErrors } from './problem';

const jobValues = {
  name: 'deploy',
  steps: [{ name: 'one', script: 'echo {{nosuch}}' }],
  parameters: [{ name: 'a', default: '' }, { name: 'count', default: 'abc' }],
  notifications: [{ on: 'failed', recipients: ['x'] }],
  credentialId: null,
};

describe('server errors on form fields', () => {
  it('finds nested paths the form holds, null values included', () => {
    expect(hasPath(jobValues, 'steps.0.script')).toBe(true);
    expect(hasPath(jobValues, 'parameters.1.default')).toBe(true);
    expect(hasPath(jobValues, 'credentialId')).toBe(true);
    expect(hasPath(jobValues, 'steps.3.script')).toBe(false);
    expect(hasPath(jobValues, 'tenant')).toBe(false);
    expect(hasPath(jobValues, '')).toBe(false);
  });

  it('puts nested keys on their fields and keeps the rest for the banner', () => {
    const errors = fieldErrors({
      'steps[0].script': ["The script uses {{nosuch}} but the job has no parameter 'nosuch'."],
      'parameters[1].default': ["'abc' is not an integer."],
      'notifications[0].recipients[0]': ["'x' is not a valid email address."],
      schedule: ['Unknown.'],
    });
    expect(splitFieldErrors(errors, jobValues, { listFields: ['recipients'] })).toEqual({
      fields: {
        'steps.0.script': "The script uses {{nosuch}} but the job has no parameter 'nosuch'.",
        'parameters.1.default': "'abc' is not an integer.",
        'notifications.0.recipients': "'x' is not a valid email address.",
      },
      unmatched: ['schedule: Unknown.'],
    });
  });

  it('renames sections a form keeps flat', () => {
    const errors = fieldErrors({ 'ssh.hostKeyFingerprint': ['Not a SHA256 fingerprint.'], port: ['Port must be 1-65535.'] });
    const values = { hostKeyFingerprint: 'x', port: 70000 };
    expect(splitFieldErrors(errors, values, { rename: (k) => k.replace(/^ssh\./, '') })).toEqual({
      fields: { hostKeyFingerprint: 'Not a SHA256 fingerprint.', port: 'Port must be 1-65535.' },
      unmatched: [],
    });
  });

  it('never says only "Validation failed"', () => {
    const atField = new ApiError(400, { title: 'Validation failed', errors: { 'steps[0].script': ['Bad.'] } });
    expect(formErrorSummary(atField, jobValues)).toEqual({ message: 'Validation failed. Fix the field marked below.', unmatched: [] });
    const elsewhere = new ApiError(400, { title: 'Validation failed', errors: { tenant: ['Unknown tenant.'] } });
    expect(formErrorSummary(elsewhere, jobValues)).toEqual({ message: 'Validation failed.', unmatched: ['tenant: Unknown tenant.'] });
    const detail = new ApiError(409, { title: 'Conflict', detail: 'A job named deploy exists.' });
    expect(formErrorSummary(detail, jobValues)).toEqual({ message: 'A job named deploy exists.', unmatched: [] });
    expect(formErrorSummary(new Error('offline'), jobValues).message).toBe('offline');
  });
});
