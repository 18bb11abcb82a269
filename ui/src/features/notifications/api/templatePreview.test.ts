import { describe, expect, it } from 'vitest';
import { previewRunFor, templateFieldErrors } from './templatePreview';

const runs = [
  { id: 9, status: 'queued' as const },
  { id: 8, status: 'succeeded' as const },
  { id: 7, status: 'failed' as const },
  { id: 6, status: 'failed' as const },
];

describe('the run a template is previewed against', () => {
  it('is the newest run with the status the event comes from', () => {
    expect(previewRunFor(runs, 'failed')?.id).toBe(7);
    expect(previewRunFor(runs, 'succeeded')?.id).toBe(8);
  });
  it('is a run that started for the started event', () => {
    expect(previewRunFor(runs, 'started')?.id).toBe(8);
  });
  it('falls back to the newest run, or none', () => {
    expect(previewRunFor(runs, 'timed_out')?.id).toBe(9);
    expect(previewRunFor([], 'failed')).toBeUndefined();
  });
});

describe('template errors', () => {
  it('go to the part they name, the rest stays visible', () => {
    expect(templateFieldErrors({ html: 'Unknown template field job.nmae.', runId: 'Run 3 does not exist.' })).toEqual({
      html: 'Unknown template field job.nmae.',
      other: ['runId: Run 3 does not exist.'],
    });
  });
});
