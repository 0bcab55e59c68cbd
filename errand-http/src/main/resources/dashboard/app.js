// The dashboard's entry: asks for the token when the server wants one, routes #/... to a view,
// and feeds the one event stream to the view on screen.

import { Api } from './api.js';
import { savedToken, saveToken, forgetToken } from './token.js';
import { EventStreamReader } from './stream.js';
import { QueuesView } from './queues-view.js';
import { TasksView } from './tasks-view.js';
import { TaskView } from './task-view.js';
import { SupervisorsView } from './supervisors-view.js';
import { SchedulesView } from './schedules-view.js';
import { SearchView } from './search-view.js';
import { FailuresView } from './failures-view.js';
import { HistoryView } from './history-view.js';
import { NodesView } from './nodes-view.js';
import { tick } from './format.js';

const viewNode = document.getElementById('view');
const connection = document.getElementById('connection');
const login = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const loginInput = document.getElementById('login-token');
const loginError = document.getElementById('login-error');

let token = savedToken();
let view = null;
let stream = null;

const api = new Api(() => token, (message, refused) => {
  if (refused === token) {
    signOut(refused ? `The server refused the saved token (${message}). Enter the current one.` : '');
  }
});

/**
 * The view a location hash names: #/queues, #/tasks?queue=..., #/tasks/42, #/search?q=...,
 * #/failures, #/history?range=hour|day, #/supervisors, #/schedules, #/nodes.
 */
function viewFor(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'tasks' && /^\d+$/.test(parts[1] ?? '')) {
    return { section: 'tasks', view: new TaskView(api, Number(parts[1]), params) };
  }
  if (parts[0] === 'tasks') {
    return { section: 'tasks', view: new TasksView(api, params) };
  }
  if (parts[0] === 'supervisors') {
    return { section: 'supervisors', view: new SupervisorsView(api) };
  }
  if (parts[0] === 'search') {
    return { section: 'search', view: new SearchView(api, params) };
  }
  if (parts[0] === 'failures') {
    return { section: 'failures', view: new FailuresView(api, params) };
  }
  if (parts[0] === 'history') {
    return { section: 'history', view: new HistoryView(api, params) };
  }
  if (parts[0] === 'schedules') {
    return { section: 'schedules', view: new SchedulesView(api) };
  }
  if (parts[0] === 'nodes') {
    return { section: 'nodes', view: new NodesView(api) };
  }
  return { section: 'queues', view: new QueuesView(api) };
}

function show() {
  view?.unmount();
  const next = viewFor(location.hash);
  view = next.view;
  for (const link of document.querySelectorAll('nav a[data-section]')) {
    if (link.dataset.section === next.section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  view.mount(viewNode);
}

function start() {
  login.hidden = true;
  loginError.textContent = '';
  stream = new EventStreamReader(() => token, {
    onEvent: (event) => {
      if (event.type === 'gap' || event.type === 'reset') {
        // events were missed (reset: the server restarted since the last one seen): re-read
        // what is on screen
        view?.reload();
      } else {
        view?.onEvent(event);
      }
    },
    onOpen: (resumed) => {
      if (!resumed) {
        view?.reload(); // what happened before the stream was open is read from the API
      }
    },
    onState: (text) => {
      connection.textContent = text;
    },
    onUnauthorized: (message) => signOut(`The server refused the saved token (${message}). Enter the current one.`),
  });
  stream.start();
  show();
}

/** Stops everything and shows the form, with `message` saying why. */
function signOut(message) {
  stream?.stop();
  stream = null;
  view?.unmount();
  view = null;
  viewNode.replaceChildren();
  token = null;
  forgetToken();
  connection.textContent = 'Signed out';
  loginError.textContent = message;
  login.hidden = false;
  loginInput.focus();
}

loginForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const candidate = loginInput.value.trim();
  loginInput.value = '';
  if (!candidate) {
    loginError.textContent = 'Enter the token first.';
    return;
  }
  loginError.textContent = 'Checking…';
  try {
    await new Api(() => candidate, null).get('/api/health');
  } catch (err) {
    if (err.status === 401) {
      loginError.textContent = `The server refused this token (${err.message}). Check it and try again.`;
      loginInput.focus();
      return;
    }
    // any other answer (shutting down, store trouble) is for the views to show
  }
  token = candidate;
  saveToken(candidate);
  start();
});

window.addEventListener('hashchange', () => {
  if (view && location.hash.startsWith('#/')) {
    show();
  }
});

// Leaving the page closes the stream at once (a page kept in the back-forward cache would
// otherwise hold its connection, one of the few a browser opens to a server); coming back
// to a kept page opens it again, resuming from the last event seen.
window.addEventListener('pagehide', () => stream?.stop());
window.addEventListener('pageshow', (e) => {
  if (e.persisted) {
    stream?.start();
  }
});

async function boot() {
  try {
    await new Api(() => token, null).get('/api/health');
  } catch (err) {
    if (err.status === 401) {
      signOut(token ? `The server refused the saved token (${err.message}). Enter the current one.` : '');
      return;
    }
  }
  start();
}

// Relative times ("3 s ago") and scheduled badges follow the clock, once a second.
setInterval(() => tick(viewNode), 1000);

boot();
