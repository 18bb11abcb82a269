import { describe, expect, it } from 'vitest';
import { intOrAsTyped } from '@/lib/jobParameters';
import { initialParameterValues, parameterErrors, toRunParameters, type Param } from './jobs';

const params: Param[] = [
  { name: 'service', type: 'string', required: true },
  { name: 'retries', type: 'int', required: false, default: 3 },
  { name: 'force', type: 'bool', required: false, default: false },
  { name: 'env', type: 'choice', required: true, choices: ['staging', 'prod'] },
  { name: 'token', type: 'secret', required: false, default: 'never-prefilled' },
];

describe('job run parameters', () => {
  it('starts from typed defaults and never prefills secrets', () => {
    // A choice starts at its first choice when it has no default of its own.
    expect(initialParameterValues(params)).toEqual({ service: '', retries: 3, force: false, env: 'staging', token: '' });
    expect(initialParameterValues([{ name: 'env', type: 'choice', required: true, choices: ['a', 'b'], default: 'b' }])).toEqual({ env: 'b' });
  });

  it('reports missing required values, bad integers and unknown choices', () => {
    expect(parameterErrors(params, { service: '', retries: 1.5, force: false, env: 'dev', token: '' })).toEqual({
      service: 'service is required',
      retries: 'retries must be a whole number',
      env: 'Choose one of staging, prod',
    });
    expect(parameterErrors(params, { service: 'nginx', retries: '', force: true, env: 'prod', token: '' })).toEqual({});
  });

  it('sends typed values and leaves out empty optional ones', () => {
    expect(toRunParameters(params, { service: 'nginx; rm -rf /', retries: '5', force: true, env: 'prod', token: '' })).toEqual({
      service: 'nginx; rm -rf /',
      retries: 5,
      force: true,
      env: 'prod',
    });
  });
});

describe('target preview', async () => {
  const { mergeTargets } = await import('./jobs');
  it('merges targets found by id and by tag without duplicates, sorted by name', () => {
    expect(mergeTargets([{ id: 2, name: 'web-2' }, { id: 1, name: 'web-1' }, { id: 2, name: 'web-2' }])).toEqual([
      { id: 1, name: 'web-1' },
      { id: 2, name: 'web-2' },
    ]);
  });
});

describe('int parameter defaults', () => {
  it('keeps what was typed when it is not a whole number, for the server to refuse at the field', () => {
    expect(intOrAsTyped('42')).toBe(42);
    expect(intOrAsTyped(' -3 ')).toBe(-3);
    expect(intOrAsTyped('abc')).toBe('abc');
    expect(intOrAsTyped('1.5')).toBe('1.5');
  });
});
