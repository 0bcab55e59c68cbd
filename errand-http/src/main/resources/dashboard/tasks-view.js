// #/tasks: the tasks, newest first, filtered by queue and status and paged with the API's
// cursor. Rows on screen move with the events (status, progress bar, message); a task that
// belongs on the page being read brings a re-read (at most once a second). A task delayed into
// the future shows as SCHEDULED with when it is due; queues show their label (Yao's name).

import { el, replace, row, table, notice } from './dom.js';
import { relativeTime } from './format.js';
import { progressBar, setStatus } from './progress.js';
import { RefreshedView } from './refresh.js';

const STATUSES = ['WAITING', 'RUNNING', 'SUCCESS', 'FAILURE', 'CANCELLED'];
const PAGE_SIZES = ['25', '50', '100'];

export class TasksView extends RefreshedView {
  constructor(api, params) {
    super();
    this.api = api;
    this.filter = {
      queue: params.get('queue') || '',
      status: (params.get('status') || '').toUpperCase(),
      limit: PAGE_SIZES.includes(params.get('limit')) ? params.get('limit') : '50',
    };
    this.cursor = params.get('cursor') || null;
    this.older = []; // cursors of the pages read before this one, for "Newer"
    this.nextCursor = null;
    this.rows = new Map();
    this.labels = new Map(); // queue name -> its label, for the queues that have one
  }

  mount(node) {
    this.queueSelect = el('select', { id: 'filter-queue', name: 'queue' },
      el('option', { value: '' }, 'All queues'));
    this.statusSelect = el('select', { id: 'filter-status', name: 'status' },
      el('option', { value: '' }, 'All statuses'),
      STATUSES.map((s) => el('option', { value: s }, s)));
    this.limitSelect = el('select', { id: 'filter-limit', name: 'limit' },
      PAGE_SIZES.map((n) => el('option', { value: n }, n)));
    this.statusSelect.value = this.filter.status;
    this.limitSelect.value = this.filter.limit;
    for (const select of [this.queueSelect, this.statusSelect, this.limitSelect]) {
      select.addEventListener('change', () => this.changeFilter());
    }
    const filters = el('form', { class: 'filters', 'aria-label': 'Filter tasks', onsubmit: (e) => e.preventDefault() },
      el('label', { for: 'filter-queue' }, 'Queue'), this.queueSelect,
      el('label', { for: 'filter-status' }, 'Status'), this.statusSelect,
      el('label', { for: 'filter-limit' }, 'Per page'), this.limitSelect);
    this.newest = el('button', { type: 'button', id: 'page-newest', onclick: () => this.page(null, []) }, 'Newest');
    this.newer = el('button', { type: 'button', id: 'page-newer', onclick: () => this.pageNewer() }, '← Newer');
    this.olderButton = el('button', { type: 'button', id: 'page-older', onclick: () => this.pageOlder() }, 'Older →');
    this.body = el('div', { id: 'tasks' });
    replace(node, el('h1', {}, 'Tasks'), filters, this.body,
      el('nav', { class: 'pager', 'aria-label': 'Pages of tasks' }, this.newest, this.newer, this.olderButton));
    document.title = 'Tasks · Errand';
    this.queuesRead = this.loadQueues();
    this.refresher.now();
  }

  async loadQueues() {
    try {
      const answer = await this.api.get('/api/queues');
      for (const q of answer.queues) {
        if (q.label) {
          this.labels.set(q.name, q.label);
        }
        this.queueSelect.append(el('option', { value: q.name }, q.label ? `${q.name} (${q.label})` : q.name));
      }
      this.queueSelect.value = this.filter.queue;
    } catch {
      // the list below shows the error
    }
  }

  changeFilter() {
    this.filter = {
      queue: this.queueSelect.value,
      status: this.statusSelect.value,
      limit: this.limitSelect.value,
    };
    this.page(null, []);
  }

  pageOlder() {
    if (this.nextCursor !== null) {
      this.page(String(this.nextCursor), [...this.older, this.cursor]);
    }
  }

  pageNewer() {
    const older = [...this.older];
    this.page(older.length > 0 ? older.pop() : null, older);
  }

  page(cursor, older) {
    this.cursor = cursor;
    this.older = older;
    history.replaceState(null, '', `#/tasks${this.query(true)}`);
    this.refresher.now();
  }

  query(forHash) {
    const q = new URLSearchParams();
    if (this.filter.queue) q.set('queue', this.filter.queue);
    if (this.filter.status) q.set('status', this.filter.status);
    if (!forHash || this.filter.limit !== '50') q.set('limit', this.filter.limit);
    if (this.cursor) q.set('cursor', this.cursor);
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  async load() {
    let answer;
    try {
      await this.queuesRead; // the labels, before the rows that show them
      answer = await this.api.get(`/api/tasks${this.query(false)}`);
    } catch (e) {
      this.rows.clear();
      replace(this.body, notice(`Could not read the tasks: ${e.message}`, 'error'));
      return;
    }
    this.nextCursor = answer.next_cursor;
    this.olderButton.disabled = answer.next_cursor === null;
    this.newer.disabled = this.cursor === null;
    this.newest.disabled = this.cursor === null;
    this.rows.clear();
    if (answer.tasks.length === 0) {
      replace(this.body, notice('No tasks match these filters.'));
      return;
    }
    replace(this.body, table(this.caption(),
      ['Task', 'Queue', 'Status', 'Progress', 'Message', 'Created', 'Attempt'],
      answer.tasks.map((t) => this.taskRow(t))));
  }

  caption() {
    const what = this.filter.status ? `${this.filter.status} tasks` : 'Tasks';
    const of = this.filter.queue ? ` of queue ${this.filter.queue}` : '';
    return `${what}${of}, ${this.cursor ? 'an older page' : 'newest first'}`;
  }

  taskRow(t) {
    const bar = progressBar(t.id);
    const status = el('span');
    const message = el('span', { class: 'message' });
    const attempt = el('span');
    const r = row({ id: `task-${t.id}`, 'data-status': t.status }, [
      ['Task', el('a', { href: `#/tasks/${t.id}` }, `#${t.id}`)],
      ['Queue', [t.queue, this.labels.has(t.queue)
        ? el('span', { class: 'queue-label', 'data-label-of': t.queue }, this.labels.get(t.queue)) : null]],
      ['Status', status, { class: 'status-cell' }],
      ['Progress', bar.node, { class: 'progress-cell' }],
      ['Message', message],
      ['Created', relativeTime(t.created_at)],
      ['Attempt', attempt, { class: 'num' }],
    ]);
    const update = (s) => {
      r.dataset.status = s.status;
      setStatus(status, s.status, s.run_at ?? t.run_at);
      bar.set(s.status, s.current, s.total);
      message.textContent = s.message ?? '';
      attempt.textContent = String(s.attempt ?? 0);
    };
    update(t);
    this.rows.set(t.id, update);
    return r;
  }

  onEvent(event) {
    const e = event.data;
    if (e.task_id === undefined || e.schedule !== undefined) {
      return; // a schedule's event names the task it submitted, whose own ADDED follows
    }
    const update = this.rows.get(e.task_id);
    if (update && e.type === 'RETRYING') {
      this.refresher.request(); // its new run_at (the backoff) is not in the event
    }
    const belongs = (!this.filter.queue || e.queue === this.filter.queue)
      && (!this.filter.status || e.status === this.filter.status);
    if (update) {
      update(e);
      if (!belongs) {
        this.refresher.request(); // it left the filter: the page is re-read without it
      }
    } else if (belongs && this.cursor === null) {
      this.refresher.request(); // a task for the first page
    }
  }
}
