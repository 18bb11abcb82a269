export type ServerSentEvent = { event: string; data: string; id?: string };

/**
 * Incremental text/event-stream parser (the WHATWG rules that matter here): feed it chunks as
 * they arrive, get whole events back. Used instead of EventSource because EventSource cannot
 * send the Authorization header.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  push(chunk: string): ServerSentEvent[] {
    const buf = this.buffer + chunk;
    const out: ServerSentEvent[] = [];
    // Walk the buffer by position (no re-slicing of the rest per line: a replay can be megabytes).
    let pos = 0;
    for (;;) {
      let end = pos;
      while (end < buf.length && buf.charCodeAt(end) !== 10 && buf.charCodeAt(end) !== 13) end++;
      if (end >= buf.length) break;
      const cr = buf.charCodeAt(end) === 13;
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for more.
      if (cr && end === buf.length - 1) break;
      const sepLength = cr && buf.charCodeAt(end + 1) === 10 ? 2 : 1;
      const ev = this.line(buf.slice(pos, end));
      if (ev) out.push(ev);
      pos = end + sepLength;
    }
    this.buffer = buf.slice(pos);
    return out;
  }

  private line(line: string): ServerSentEvent | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const ev = { event: this.event || 'message', data: this.data.join('\n'), id: this.id };
      this.data = [];
      this.event = '';
      return ev;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    return null;
  }
}
