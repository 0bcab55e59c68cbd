// #/search: tasks found by text (an id, or text in keys, arguments and errors), queue, status
// and creation time, paged by the server (GET /api/search). Tasks can be selected on the page,
// or taken all together as "every task matching": retry, cancel or delete run on the server
// (POST /api/bulk) after a confirmation that shows the count, so a filter matching 100,000
// tasks never brings them to the page.

import { el, replace, row, table, notice } from './dom.js';
import { relativeTime } from './format.js';
import { setStatus } from './progress.js';
import { RefreshedView } from './refresh.js';

const STATUSES = ['WAITING', 'RUNNING', 'SUCCESS', 'FAILURE', 'CANCELLED'];
const FILTER = ['q', 'queue', 'status', 'from', 'to'];
const VERBS = { retry: 'Retry', cancel: 'Cancel', delete: 'Delete' };

/** An ISO instant as the value of a datetime-local input (local time, to the minute). */
function localInput(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export class SearchView extends RefreshedView {
  constructor(api, params) {
    super();
    this.api = api;
    this.filter = Object.fromEntries(FILTER.map((k) => [k, params.get(k) || '']));
    this.cursors = [null];
    this.nextCursor = null;
    this.selected = new Set();
  }

  mount(node) {
    const f = this.filter;
    this.text = el('input', { id: 'search-text', type: 'search', name: 'q', maxlength: '200', value: f.q,
      placeholder: 'id, key, text in arguments or errors' });
    this.queue = el('select', { id: 'search-queue', name: 'queue' }, el('option', { value: '' }, 'All queues'));
    this.status = el('select', { id: 'search-status', name: 'status' }, el('option', { value: '' }, 'All statuses'),
      STATUSES.map((s) => el('option', { value: s }, s)));
    this.status.value = f.status;
    this.from = el('input', { id: 'search-from', type: 'datetime-local', name: 'from', value: f.from ? localInput(f.from) : null });
    this.to = el('input', { id: 'search-to', type: 'datetime-local', name: 'to', value: f.to ? localInput(f.to) : null });
    const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Search tasks', onsubmit: (e) => this.submit(e) },
      el('label', { for: 'search-text' }, 'Text'), this.text,
      el('label', { for: 'search-queue' }, 'Queue'), this.queue,
      el('label', { for: 'search-status' }, 'Status'), this.status,
      el('label', { for: 'search-from' }, 'Created from'), this.from,
      el('label', { for: 'search-to' }, 'to'), this.to,
      el('button', { type: 'submit', id: 'search-go' }, 'Search'));
    this.count = el('p', { id: 'search-count', role: 'status' });
    this.confirmBox = el('div', { id: 'bulk-confirm', class: 'confirm', role: 'alertdialog', hidden: true });
    this.outcome = el('p', { id: 'bulk-outcome', class: 'outcome', role: 'status' });
    this.selectionButtons = Object.keys(VERBS).map((a) => el('button', { type: 'button', id: `bulk-${a}-selected`,
      disabled: true, onclick: () => this.ask(a, 'selected') }, `${VERBS[a]} selected`));
    const allButtons = Object.keys(VERBS).map((a) => el('button', { type: 'button', id: `bulk-${a}-all`,
      onclick: () => this.ask(a, 'all') }, `${VERBS[a]} all matching`));
    this.body = el('div', { id: 'search-results' });
    this.olderButton = el('button', { type: 'button', id: 'search-older', onclick: () => this.older() }, 'Older →');
    replace(node, el('h1', {}, 'Search'), form, this.count,
      el('div', { class: 'actions bulk', 'aria-label': 'Bulk actions' }, this.selectionButtons, allButtons),
      this.confirmBox, this.outcome, this.body,
      el('nav', { class: 'pager', 'aria-label': 'Pages of results' },
        el('button', { type: 'button', id: 'search-newest', onclick: () => this.newest() }, 'Newest'), this.olderButton));
    document.title = 'Search · Errand';
    this.loadQueues();
    this.refresher.now();
  }

  async loadQueues() {
    try {
      for (const q of (await this.api.get('/api/queues')).queues) {
        this.queue.append(el('option', { value: q.name }, q.name));
      }
      this.queue.value = this.filter.queue;
    } catch {
      // the results show the error
    }
  }

  submit(e) {
    e.preventDefault();
    const params = new URLSearchParams();
    const values = { q: this.text.value.trim(), queue: this.queue.value, status: this.status.value,
      from: this.from.value ? new Date(this.from.value).toISOString() : '',
      to: this.to.value ? new Date(this.to.value).toISOString() : '' };
    for (const [k, v] of Object.entries(values)) {
      if (v) {
        params.set(k, v);
      }
    }
    location.hash = `#/search?${params}`;
  }

  /** The filter as query parameters, only the parts given. */
  query() {
    const params = new URLSearchParams();
    for (const k of FILTER) {
      if (this.filter[k]) {
        params.set(k, this.filter[k]);
      }
    }
    return params;
  }

  async load() {
    const params = this.query();
    params.set('limit', '50');
    const cursor = this.cursors[this.cursors.length - 1];
    if (cursor) {
      params.set('cursor', cursor);
    }
    let page;
    try {
      [page, this.matching] = await Promise.all([this.api.get(`/api/search?${params}`),
        this.api.get(`/api/search/count?${this.query()}`).then((a) => a.count)]);
    } catch (e) {
      replace(this.body, notice(`Could not search: ${e.message}`, 'error'));
      this.count.textContent = '';
      this.selected.clear(); // no task is on the page to act on
      this.updateSelection();
      return;
    }
    this.count.textContent = `${this.matching} ${this.matching === 1 ? 'task matches' : 'tasks match'}`;
    this.nextCursor = page.next_cursor;
    this.olderButton.disabled = page.next_cursor === null;
    // A load is often a refresh of the same search (the stream reconnected, an action ended):
    // the tasks still listed stay selected, whatever the user ticked while it was on its way;
    // only those no longer listed leave the selection, so an action never reaches a task the
    // page does not show.
    const listed = new Set(page.tasks.map((t) => t.id));
    for (const id of this.selected) {
      if (!listed.has(id)) {
        this.selected.delete(id);
      }
    }
    this.updateSelection();
    if (page.tasks.length === 0) {
      replace(this.body, notice('No tasks match.'));
      return;
    }
    const all = el('input', { type: 'checkbox', id: 'select-page', 'aria-label': 'Select every task on this page' });
    all.checked = this.selected.size === page.tasks.length;
    all.addEventListener('change', () => {
      for (const box of this.body.querySelectorAll('input.select-task')) {
        box.checked = all.checked;
        box.dispatchEvent(new Event('change'));
      }
    });
    replace(this.body, all, el('label', { for: 'select-page' }, ' Select the page'),
      table('Matching tasks, newest first', ['', 'Id', 'Queue', 'Status', 'Message', 'Created'],
        page.tasks.map((t) => this.taskRow(t))));
  }

  taskRow(t) {
    const box = el('input', { type: 'checkbox', class: 'select-task', 'data-id': String(t.id), 'aria-label': `Select task ${t.id}` });
    box.checked = this.selected.has(t.id);
    box.addEventListener('change', () => {
      if (box.checked) {
        this.selected.add(t.id);
      } else {
        this.selected.delete(t.id);
      }
      this.updateSelection();
    });
    const status = el('span');
    setStatus(status, t.status, t.run_at);
    return row({ 'data-id': String(t.id), class: 'search-row' }, [
      ['Select', box],
      ['Id', el('a', { href: `#/tasks/${t.id}` }, `#${t.id}`), { class: 'num' }],
      ['Queue', t.queue],
      ['Status', status],
      ['Message', el('span', { class: 'message' }, t.message || '—')],
      ['Created', relativeTime(t.created_at)],
    ]);
  }

  updateSelection() {
    for (const b of this.selectionButtons) {
      b.disabled = this.selected.size === 0;
    }
  }

  /** Shows what `action` would do and asks before doing it. */
  async ask(action, scope) {
    let n = this.selected.size;
    if (scope === 'all') {
      try {
        n = (await this.api.get(`/api/search/count?${this.query()}`)).count;
      } catch (e) {
        this.outcome.textContent = `Could not count the tasks: ${e.message}`;
        return;
      }
    }
    const what = scope === 'all' ? `${n} ${n === 1 ? 'task' : 'tasks'} matching this search` : `${n} selected ${n === 1 ? 'task' : 'tasks'}`;
    replace(this.confirmBox,
      el('p', { id: 'bulk-confirm-text' }, `${VERBS[action]} ${what}?`),
      el('button', { type: 'button', id: 'bulk-confirm-yes', onclick: () => this.act(action, scope, n) }, `${VERBS[action]} ${n}`),
      ' ',
      el('button', { type: 'button', id: 'bulk-confirm-no', onclick: () => { this.confirmBox.hidden = true; } }, 'Keep them'));
    this.confirmBox.hidden = false;
    this.confirmBox.querySelector('#bulk-confirm-no').focus();
  }

  async act(action, scope, expected) {
    this.confirmBox.hidden = true;
    const body = { action, reason: action === 'cancel' ? 'cancelled in bulk from the dashboard' : undefined };
    if (scope === 'all') {
      body.filter = Object.fromEntries(FILTER.filter((k) => this.filter[k]).map((k) => [k, this.filter[k]]));
      body.expected = expected;
    } else {
      body.ids = [...this.selected];
    }
    this.outcome.textContent = `${VERBS[action]}…`;
    // A filter's walk comes back in parts (at most a few seconds each) with the cursor to go
    // on from: the page sends it again until it is 0, showing the progress in between.
    let done = 0;
    let skipped = 0;
    try {
      let cursor = 0;
      do {
        const r = await this.api.post('/api/bulk', cursor ? { ...body, cursor } : body);
        done += r.done;
        skipped += r.skipped;
        cursor = r.next_cursor || 0;
        if (cursor) {
          this.outcome.textContent = `${VERBS[action]}: ${done} done so far, ${skipped} skipped…`;
        }
      } while (cursor);
      this.outcome.textContent = `${VERBS[action]}: ${done} done, ${skipped} skipped.`;
    } catch (e) {
      this.outcome.textContent = done + skipped > 0
        ? `Could not finish (${done} done, ${skipped} skipped): ${e.message}`
        : `Could not ${action}: ${e.message}`;
    }
    await this.refresher.now();
  }

  older() {
    if (this.nextCursor !== null) {
      this.cursors.push(String(this.nextCursor));
      this.refresher.now();
    }
  }

  newest() {
    this.cursors = [null];
    this.refresher.now();
  }
}
