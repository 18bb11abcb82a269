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
