// The API token, when the server has one: kept in this tab's sessionStorage (gone when the tab
// closes), sent only in the Authorization header, never put in a URL, the page or a log.

const KEY = 'errand.token';

/** The token this tab uses, or null. */
export function savedToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage refused (a privacy mode): the form will ask again
  }
}

/** Keeps `token` for this tab. */
export function saveToken(token) {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // storage refused: the token lives in memory only, and the form asks after a reload
  }
}

/** Forgets the token of this tab. */
export function forgetToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}

/** The headers that carry `token`, if any. */
export function authHeaders(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
