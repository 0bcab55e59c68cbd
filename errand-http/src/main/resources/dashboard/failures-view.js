// #/failures: failed tasks grouped by the error they ended with (type and message), largest
// group first, counted by the server (GET /api/failures). Each group links to its newest task
// and to a search of its tasks, where they can be retried together.

import { el, replace, row, table, notice } from './dom.js';
import { relativeTime } from './format.js';
import { RefreshedView } from './refresh.js';

export class FailuresView extends RefreshedView {
  constructor(api, params) {
    super(10000);
    this.api = api;
    this.queue = params.get('queue') || '';
  }

  mount(node) {
    this.queueSelect = el('select', { id: 'failures-queue', name: 'queue' },
      el('option', { value: '' }, 'All queues'));
    this.queueSelect.addEventListener('change', () => {
      location.hash = this.queueSelect.value
        ? `#/failures?queue=${encodeURIComponent(this.queueSelect.value)}` : '#/failures';
    });
    this.body = el('div', { id: 'failures' });
    replace(node, el('h1', {}, 'Failures'),
      el('form', { class: 'filters', 'aria-label': 'Filter failures', onsubmit: (e) => e.preventDefault() },
        el('label', { for: 'failures-queue' }, 'Queue'), this.queueSelect),
      this.body);
    document.title = 'Failures · Errand';
    this.loadQueues();
    this.refresher.now();
  }

  async loadQueues() {
    try {
      for (const q of (await this.api.get('/api/queues')).queues) {
        this.queueSelect.append(el('option', { value: q.name }, q.name));
      }
      this.queueSelect.value = this.queue;
    } catch {
      // the groups below show the error
    }
  }

  wants(event) {
    return event.status === 'FAILURE';
  }

  async load() {
    let answer;
    try {
      const query = this.queue ? `?queue=${encodeURIComponent(this.queue)}&limit=100` : '?limit=100';
      answer = await this.api.get(`/api/failures${query}`);
    } catch (e) {
      replace(this.body, notice(`Could not read the failures: ${e.message}`, 'error'));
      return;
    }
    replace(this.body, answer.groups.length === 0 ? notice('No failed tasks.')
      : table('Failed tasks by the error they ended with, largest group first',
        ['Tasks', 'Type', 'Message', 'Newest', 'Ended', ''],
        answer.groups.map((g) => this.groupRow(g))));
  }

  groupRow(g) {
    const search = new URLSearchParams({ status: 'FAILURE', q: (g.message || g.type).slice(0, 200) });
    if (this.queue) {
      search.set('queue', this.queue);
    }
    return row({ class: 'failure-group', 'data-type': g.type }, [
      ['Tasks', String(g.count), { class: 'num failure-count' }],
      ['Type', el('code', {}, g.type)],
      ['Message', el('span', { class: 'message' }, g.message || '—'), { class: 'failure-message' }],
      ['Newest', el('a', { href: `#/tasks/${g.latest_task}` }, `#${g.latest_task}`)],
      ['Ended', relativeTime(g.latest_at)],
      ['', el('a', { href: `#/search?${search}`, class: 'failure-tasks' }, 'Show tasks')],
    ]);
  }
}
