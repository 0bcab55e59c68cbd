// Calls to the JSON API (docs/api.md), with the token when there is one. Every error the API
// answers is {error: {code, message}}; it becomes an ApiError carrying both.

import { authHeaders } from './token.js';

/**
 * Where the API's paths start: "" on a server of its own, "/errand" when an application serves
 * Errand under that path. This module is always at <base>/dashboard/api.js.
 */
export const BASE = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** The URL of an API path such as '/api/tasks', under the base. */
export function apiUrl(path) {
  return BASE + path;
}

/** An answer other than 2xx, with the API's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The API client of the page. `tokenOf()` gives the token to send (or null); `onUnauthorized`
 * is called with the server's message and the token that was refused when an answer is 401,
 * before the ApiError is thrown.
 */
export class Api {
  constructor(tokenOf, onUnauthorized) {
    this.tokenOf = tokenOf;
    this.onUnauthorized = onUnauthorized;
  }

  get(path) {
    return this.send('GET', path);
  }

  post(path, body = {}) {
    return this.send('POST', path, body);
  }

  /** Sends one request; resolves to the parsed JSON (null for 204), rejects with ApiError. */
  async send(method, path, body, token = this.tokenOf()) {
    const headers = { Accept: 'application/json', ...authHeaders(token) };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(apiUrl(path), init);
    } catch (e) {
      throw new ApiError(0, 'unreachable', `the server did not answer (${e.message}); is it running?`);
    }
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.ok) {
      return data;
    }
    const code = data?.error?.code ?? `http_${res.status}`;
    const message = data?.error?.message ?? `the server answered ${res.status}`;
    if (res.status === 401 && this.onUnauthorized) {
      this.onUnauthorized(message, token);
    }
    throw new ApiError(res.status, code, message);
  }
}

/** A path segment, percent-encoded (keys may hold "/" or spaces). */
export function segment(value) {
  return encodeURIComponent(String(value));
}
