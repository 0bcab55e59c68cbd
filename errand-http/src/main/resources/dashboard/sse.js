// A parser of the Server-Sent-Events text format (the WHATWG "event stream" rules), for a
// stream read with fetch: EventSource cannot send the Authorization header.

/** Parses chunks of an event stream into events; remembers the last id and the retry delay. */
export class SseParser {
  constructor() {
    this.buffer = '';
    this.lastEventId = null;
    this.retryMs = null;
    this.resetEvent();
  }

  resetEvent() {
    this.type = '';
    this.data = [];
  }

  /** Feeds decoded text; returns the events it completed, as {type, data, id}. */
  push(text) {
    this.buffer += text;
    const events = [];
    let start = 0;
    for (;;) {
      const end = this.lineEnd(start);
      if (end < 0) {
        break;
      }
      const line = this.buffer.slice(start, end);
      start = end + (this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1);
      const event = this.line(line);
      if (event) {
        events.push(event);
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  lineEnd(from) {
    for (let i = from; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c === '\n') {
        return i;
      }
      if (c === '\r') {
        // a lone CR ends a line too, but wait for the next chunk when it may be CRLF's half
        return i + 1 < this.buffer.length ? i : -1;
      }
    }
    return -1;
  }

  line(line) {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return null; // a comment: "connected", "keep-alive"
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.type = value;
    } else if (field === 'data') {
      this.data.push(value);
    } else if (field === 'id' && !value.includes('\0')) {
      this.lastEventId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) {
      this.retryMs = Number(value);
    }
    return null;
  }

  dispatch() {
    const event = this.data.length === 0 ? null
      : { type: this.type || 'message', data: this.data.join('\n'), id: this.lastEventId };
    this.resetEvent();
    return event;
  }
}
