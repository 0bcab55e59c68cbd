// #/tasks/{id}: one task with everything the API knows (arguments, result, every attempt's
// error, progress, times), moving with its events, and the Cancel and Retry buttons.

import { el, replace, notice } from './dom.js';
import { isLive, json, duration, relativeTime } from './format.js';
import { progressBar, setStatus } from './progress.js';
import { RefreshedView } from './refresh.js';
import { segment } from './api.js';

const CANCEL_RESULTS = {
  cancelled: 'Cancelled: it had not started.',
  stopping: 'Asked to stop: it will show CANCELLED once its handler stops (or its cancel grace runs out).',
  already_finished: 'Nothing to cancel: it had already finished.',
};

export class TaskView extends RefreshedView {
  constructor(api, id, params) {
    super();
    this.api = api;
    this.id = id;
    this.retryOf = params.get('retry_of');
  }

  mount(node) {
    this.bar = progressBar(this.id);
    this.status = el('span');
    this.fields = el('div');
    this.cancelButton = el('button', { type: 'button', id: 'task-cancel', onclick: () => this.cancel() }, 'Cancel');
    this.retryButton = el('button', { type: 'button', id: 'task-retry', onclick: () => this.retry() }, 'Retry');
    this.outcome = el('p', { id: 'task-outcome', class: 'outcome', role: 'status' });
    this.heading = el('h1', {}, `Task ${this.id}`);
    replace(node,
      el('p', { class: 'crumbs' }, el('a', { href: '#/tasks' }, '← All tasks')),
      this.heading,
      this.retryOf && el('p', { class: 'note', id: 'retry-of' }, 'A retry of ',
        el('a', { href: `#/tasks/${segment(this.retryOf)}` }, `task ${this.retryOf}`), '.'),
      el('div', { class: 'summary' }, this.status, this.bar.node),
      el('div', { class: 'actions' }, this.cancelButton, this.retryButton),
      this.outcome,
      this.fields);
    document.title = `Task ${this.id} · Errand`;
    this.refresher.now();
  }

  onEvent(event) {
    const e = event.data;
    if (e.task_id !== this.id || e.schedule !== undefined) {
      return; // a schedule's event carries no status of the task it submitted
    }
    this.show(e.status, e.current, e.total, e.status === this.shown?.status ? this.shown.runAt : null);
    this.refresher.request(); // for the fields an event does not carry (result, errors, times)
  }

  show(status, current, total, runAt = null) {
    this.shown = { status, runAt };
    setStatus(this.status, status, runAt);
    this.bar.set(status, current, total);
    this.cancelButton.disabled = !isLive(status);
    this.retryButton.disabled = isLive(status);
  }

  async load() {
    let t;
    try {
      t = await this.api.get(`/api/tasks/${this.id}`);
    } catch (e) {
      this.cancelButton.disabled = true;
      this.retryButton.disabled = true;
      replace(this.fields, notice(e.code === 'unknown_task'
        ? `There is no task ${this.id}: it never existed, or it was removed after its queue's retention.`
        : `Could not read task ${this.id}: ${e.message}`, 'error'));
      return;
    }
    this.show(t.status, t.current, t.total, t.run_at);
    await this.readLabel(t.queue);
    // A reload (an event, a reconnect) must not fold a trace the user unfolded, nor the reverse.
    const key = (d) => `${d.closest('.attempt-error')?.dataset.attempt} ${d.className}`;
    const folds = new Map([...this.fields.querySelectorAll('.attempt-error details')].map((d) => [key(d), d.open]));
    replace(this.fields, this.details(t), this.values(t), this.errors(t));
    for (const d of this.fields.querySelectorAll('.attempt-error details')) {
      if (folds.has(key(d))) {
        d.open = folds.get(key(d));
      }
    }
  }

  /** The label of the task's queue (Yao's name), read once; none when it has none. */
  async readLabel(queue) {
    if (this.label !== undefined) {
      return;
    }
    try {
      this.label = (await this.api.get(`/api/queues/${segment(queue)}`)).label ?? null;
    } catch {
      this.label = null; // a queue gone from the config: the name alone
    }
  }

  details(t) {
    const ran = t.started_at && t.finished_at
      ? duration(new Date(t.finished_at) - new Date(t.started_at)) : null;
    const items = [
      ['Queue', [el('a', { href: `#/tasks?queue=${encodeURIComponent(t.queue)}` }, t.queue),
        this.label ? el('span', { class: 'queue-label', 'data-label-of': t.queue }, ` (${this.label})`) : null]],
      ['Status', t.status],
      ['Message', t.message || '—'],
      ['Attempt', String(t.attempt)],
      ['Created', relativeTime(t.created_at)],
      ['Runs at', relativeTime(t.run_at)],
      ['Started', relativeTime(t.started_at)],
      ['Finished', ran ? [relativeTime(t.finished_at), ` (ran ${ran})`] : relativeTime(t.finished_at)],
      ['Priority', String(t.priority)],
      ['Key', t.key ?? '—'],
      ['Batch', t.group === null ? '—' : String(t.group)],
      ['Cancel reason', t.cancel_reason ?? '—'],
    ];
    return el('dl', { class: 'fields', id: 'task-fields' },
      items.map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
  }

  values(t) {
    const result = t.status === 'SUCCESS' ? t.response : undefined;
    return el('div', { class: 'values' },
      el('section', { 'aria-labelledby': 'args-title' },
        el('h2', { id: 'args-title' }, 'Arguments'),
        el('pre', { id: 'task-args' }, json(t.args))),
      t.status === 'SUCCESS' && el('section', { 'aria-labelledby': 'result-title' },
        el('h2', { id: 'result-title' }, 'Result'),
        el('pre', { id: 'task-result' }, json(result))));
  }

  /**
   * Each failed attempt's error, oldest first: its type and message, the causes under it, the
   * last lines a program printed (exec) and the stack trace, folded.
   */
  errors(t) {
    if (t.errors.length === 0) {
      return null;
    }
    return el('section', { 'aria-labelledby': 'errors-title', id: 'task-errors' },
      el('h2', { id: 'errors-title' }, 'Errors'),
      t.errors.map((e) => el('article', { class: 'attempt-error', 'data-attempt': String(e.attempt) },
        el('h3', {}, `Attempt ${e.attempt}: `, el('code', { class: 'error-type' }, e.type), ' ',
          relativeTime(e.at)),
        el('p', { class: 'error-message' }, e.message || '(no message)'),
        (e.causes ?? []).length > 0 && el('ul', { class: 'error-causes', 'aria-label': 'Caused by' },
          e.causes.map((c) => el('li', {}, 'caused by ', el('code', {}, c.type), c.message ? `: ${c.message}` : ''))),
        e.output && el('details', { class: 'error-output', open: true },
          el('summary', {}, 'Output (last lines)'), el('pre', {}, e.output)),
        e.trace && el('details', { class: 'error-trace' },
          el('summary', {}, 'Stack trace'), el('pre', {}, e.trace)))));
  }

  async cancel() {
    this.cancelButton.disabled = true;
    try {
      const answer = await this.api.post(`/api/tasks/${this.id}/cancel`, { reason: 'cancelled from the dashboard' });
      this.outcome.textContent = CANCEL_RESULTS[answer.result] ?? `Cancel: ${answer.result}.`;
    } catch (e) {
      this.outcome.textContent = `Could not cancel: ${e.message}`;
    }
    this.refresher.request();
  }

  async retry() {
    this.retryButton.disabled = true;
    try {
      const answer = await this.api.post(`/api/tasks/${this.id}/retry`);
      // created false: a live task of the queue holds the same key, and that one is shown
      location.hash = answer.created ? `#/tasks/${answer.id}?retry_of=${this.id}` : `#/tasks/${answer.id}`;
    } catch (e) {
      this.outcome.textContent = `Could not retry: ${e.message}`;
      this.refresher.request();
    }
  }
}
