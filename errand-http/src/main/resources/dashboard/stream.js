// The one live connection of the page: GET /api/events read with fetch and a streaming body
// reader, so that the token travels in the Authorization header (never in the URL). When the
// connection ends it comes back after a backoff, sending Last-Event-ID so the server replays
// what was missed (or says "gap" when it no longer has it, "reset" when it restarted since).

import { authHeaders } from './token.js';
import { SseParser } from './sse.js';
import { apiUrl } from './api.js';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
/** The server sends a heartbeat every 15 s: silence for longer than this means a dead link. */
const SILENCE_MS = 45000;

/**
 * Reads the event stream until stopped. Callbacks: `onEvent({type, data, id})` for each event
 * (data parsed from JSON), `onOpen(resumed)` when connected (resumed: it sent a Last-Event-ID),
 * `onState(text)` for the connection's state in words, `onUnauthorized(message)` on a 401
 * (the reader then stops: a new token starts a new one).
 */
export class EventStreamReader {
  constructor(tokenOf, callbacks) {
    this.tokenOf = tokenOf;
    this.callbacks = callbacks;
    this.lastEventId = null;
    this.firstDelayMs = FIRST_DELAY_MS; // the server's "retry:" replaces it
    this.delayMs = FIRST_DELAY_MS;
    this.running = false;
    this.controller = null;
    this.timer = null;
    this.generation = 0; // a stop ends the connection of its generation, and its retries
  }

  start() {
    if (this.running) {
      return;
    }
    this.running = true;
    this.connect();
  }

  stop() {
    this.running = false;
    this.generation += 1;
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  async connect() {
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    const headers = { Accept: 'text/event-stream', ...authHeaders(this.tokenOf()) };
    const resumed = this.lastEventId !== null;
    if (resumed) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    let watchdog = null;
    const feed = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      feed();
      const res = await fetch(apiUrl('/api/events'), { headers, signal: controller.signal, cache: 'no-store' });
      if (res.status === 401) {
        const body = await res.json().catch(() => null);
        this.running = false;
        this.callbacks.onUnauthorized(body?.error?.message ?? 'the token was refused');
        return;
      }
      if (!res.ok || !res.body) {
        throw new Error(`the event stream answered ${res.status}`);
      }
      this.delayMs = this.firstDelayMs;
      this.callbacks.onState('Live');
      this.callbacks.onOpen(resumed);
      await this.read(res.body, feed);
    } catch (e) {
      // aborted, network down, server stopped: all end in a reconnect below
    } finally {
      clearTimeout(watchdog);
    }
    if (generation === this.generation) {
      this.retry();
    }
  }

  async read(body, feed) {
    const parser = new SseParser();
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      feed();
      for (const event of parser.push(value)) {
        this.deliver(event);
      }
      if (parser.lastEventId !== null) {
        this.lastEventId = parser.lastEventId;
      }
      if (parser.retryMs !== null) {
        this.firstDelayMs = Math.max(FIRST_DELAY_MS, Math.min(parser.retryMs, MAX_DELAY_MS));
        this.delayMs = this.firstDelayMs;
      }
    }
  }

  deliver(event) {
    let data = null;
    try {
      data = JSON.parse(event.data);
    } catch {
      return; // not one of the API's events
    }
    this.callbacks.onEvent({ type: event.type, data, id: event.id });
  }

  retry() {
    if (!this.running) {
      return;
    }
    const wait = Math.min(this.delayMs, MAX_DELAY_MS);
    const jittered = Math.round(wait * (0.8 + Math.random() * 0.4));
    this.callbacks.onState(`Reconnecting in ${Math.ceil(jittered / 1000)} s…`);
    this.delayMs = Math.min(wait * 2, MAX_DELAY_MS);
    this.timer = setTimeout(() => this.connect(), jittered);
  }
}
