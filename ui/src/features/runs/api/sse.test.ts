import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

describe('SseParser', () => {
  it('parses events split across chunks', () => {
    const p = new SseParser();
    expect(p.push('event: output\ndata: {"line":"he')).toEqual([]);
    expect(p.push('llo"}\n\nid: 7\ndata: a\ndata: b\n\n')).toEqual([
      { event: 'output', data: '{"line":"hello"}', id: undefined },
      { event: 'message', data: 'a\nb', id: '7' },
    ]);
  });

  it('ignores comments and handles CRLF, including a CRLF split between chunks', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\r\nevent: status\r\ndata: running\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'status', data: 'running', id: undefined }]);
  });

  it('drops an event type that has no data', () => {
    const p = new SseParser();
    expect(p.push('event: ping\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x', id: undefined }]);
  });
});

describe('live run state', async () => {
  const { applyEvent, mergeTargets, newLiveRun } = await import('./runState');
  it('groups output per target and step and follows statuses to the end', () => {
    const live = newLiveRun();
    applyEvent(live, 'status', '{"scope":"run","status":"running"}', '1');
    applyEvent(live, 'targets', '[{"targetId":7,"targetName":"web-1","hostname":"10.0.0.7"}]', '2');
    applyEvent(live, 'status', '{"scope":"step","targetId":7,"step":0,"status":"running"}', '3');
    applyEvent(live, 'output', '{"targetId":7,"step":0,"stream":"stdout","line":"hello"}', '4');
    applyEvent(live, 'output', '{"targetId":7,"step":0,"stream":"stderr","line":"oops"}', '5');
    applyEvent(live, 'status', '{"scope":"step","targetId":7,"step":0,"status":"failed","exitCode":3}', '6');
    expect(applyEvent(live, 'output', 'not json')).toBe(false);
    applyEvent(live, 'end', '{"status":"failed"}');
    expect(live).toMatchObject({ status: 'failed', ended: true, lastEventId: '6' });
    const [t] = mergeTargets(undefined, live);
    expect(t).toMatchObject({ targetId: 7, targetName: 'web-1', hostname: '10.0.0.7' });
    expect(t.steps[0]).toMatchObject({ index: 0, status: 'failed', exitCode: 3 });
    expect(t.steps[0].lines).toEqual([
      { stream: 'stdout', line: 'hello' },
      { stream: 'stderr', line: 'oops' },
    ]);
  });

  it('uses the stored output and names of the run document when the stream has nothing', () => {
    const detail = {
      targets: [
        {
          targetId: 1, targetName: 'db', hostname: 'db1', status: 'succeeded', attempt: 1, error: null, startedAt: null, finishedAt: null,
          steps: [{ index: 0, name: 'check', status: 'succeeded', exitCode: 0, stdout: 'a\nb\n', stderr: '', outputTruncated: false, startedAt: null, finishedAt: null, error: null }],
        },
      ],
    } as unknown as Parameters<typeof mergeTargets>[0];
    const [t] = mergeTargets(detail, newLiveRun());
    expect(t.steps[0].name).toBe('check');
    expect(t.steps[0].lines.map((l) => l.line)).toEqual(['a', 'b']);
  });

  it('reuses the views of targets that did not change since the last merge', () => {
    const live = newLiveRun();
    applyEvent(live, 'targets', '[{"targetId":1,"targetName":"a"},{"targetId":2,"targetName":"b"}]');
    const cache = new Map();
    const [a1, b1] = mergeTargets(undefined, live, cache);
    applyEvent(live, 'output', '{"targetId":2,"step":0,"stream":"stdout","line":"x"}');
    const [a2, b2] = mergeTargets(undefined, live, cache);
    expect(a2).toBe(a1);
    expect(b2).not.toBe(b1);
    expect(b2.steps[0].lines).toEqual([{ stream: 'stdout', line: 'x' }]);
  });
});

describe('output blocks', async () => {
  const { outputBlocks } = await import('./runState');
  it('groups consecutive lines per stream, bounded in size, stable when lines are appended', () => {
    const l = (stream: 'stdout' | 'stderr') => ({ stream, line: 'x' });
    const lines = [l('stdout'), l('stdout'), l('stderr'), l('stdout'), l('stdout'), l('stdout')];
    expect(outputBlocks(lines, 6, 2)).toEqual([
      { start: 0, end: 2, stream: 'stdout' },
      { start: 2, end: 3, stream: 'stderr' },
      { start: 3, end: 5, stream: 'stdout' },
      { start: 5, end: 6, stream: 'stdout' },
    ]);
    expect(outputBlocks(lines, 4, 2)).toEqual(outputBlocks(lines, 6, 2).slice(0, 2).concat([{ start: 3, end: 4, stream: 'stdout' }]));
  });
});
