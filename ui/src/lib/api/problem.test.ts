import { describe, expect, it } from 'vitest';
import { ApiError, collapseListItemErrors, fieldErrors, fieldName, problemMessage, toProblem, unmatchedFieldErrors } from './problem';

describe('problem details', () => {
  it('prefers detail, then title, then a status message', () => {
    expect(problemMessage({ title: 'Bad', detail: 'Username is taken' })).toBe('Username is taken');
    expect(problemMessage({ title: 'Not Found', status: 404 })).toBe('Not Found');
    expect(problemMessage({ status: 502 })).toBe('Request failed (HTTP 502)');
    expect(problemMessage(undefined, 0)).toBe('The server could not be reached');
  });

  it('normalizes server field names to form paths', () => {
    expect(fieldName('Email')).toBe('email');
    expect(fieldName('$.fullName')).toBe('fullName');
    expect(fieldName('request.NewPassword')).toBe('newPassword');
    expect(fieldName('Secret.PrivateKey')).toBe('secret.privateKey');
    expect(fieldName('notifications[0].recipients[1]')).toBe('notifications.0.recipients.1');
    expect(fieldName('steps[2].Script')).toBe('steps.2.script');
  });

  it('puts errors about items of a list field on the list field', () => {
    const errors = fieldErrors({
      'notifications[0].recipients[1]': ["'x' is not a valid email address."],
      'notifications[0].recipients[3]': ["'y' is not a valid email address."],
      'notifications[1].on': ['on is required.'],
      'steps[0].script': ['Required.'],
      'recipients[0]': ["'z' is not a valid email address."],
    });
    expect(collapseListItemErrors(errors, ['recipients'])).toEqual({
      'notifications.0.recipients': "'x' is not a valid email address. 'y' is not a valid email address.",
      'notifications.1.on': 'on is required.',
      'steps.0.script': 'Required.',
      recipients: "'z' is not a valid email address.",
    });
  });

  it('maps validation errors to one message per form field', () => {
    const errors = fieldErrors({ Email: ['Email is required.'], password: ['Too short.', 'Needs 12 characters.'], email: ['Invalid.'] });
    expect(errors).toEqual({ email: 'Email is required. Invalid.', password: 'Too short. Needs 12 characters.' });
  });

  it('keeps errors for fields a form does not show', () => {
    expect(unmatchedFieldErrors({ email: 'x', tenant: 'y' }, ['email'])).toEqual(['tenant: y']);
  });

  it('builds problems from JSON, text and empty bodies', () => {
    expect(toProblem({ title: 'One or more validation errors occurred.', status: 400, errors: { Username: ['Required'] } }, 400)).toEqual({
      type: undefined,
      title: 'One or more validation errors occurred.',
      detail: undefined,
      instance: undefined,
      status: 400,
      errors: { Username: ['Required'] },
    });
    expect(toProblem('upstream down', 502, 'Bad Gateway')).toEqual({ status: 502, title: 'Bad Gateway', detail: 'upstream down' });
    expect(toProblem(undefined, 500)).toEqual({ status: 500, title: undefined });
  });

  it('ApiError exposes message and mapped field errors', () => {
    const err = new ApiError(400, { title: 'Invalid', errors: { FullName: ['Required'] } });
    expect(err.message).toBe('Invalid');
    expect(err.fieldErrors).toEqual({ fullName: 'Required' });
  });
});
