// #/queues: every queue with its live counts and throughput, re-read when events come (at most
// once a second) and every 5 s for the throughput, which falls when nothing happens. Each queue
// has Pause or Resume: a paused queue takes submits but starts none, on every node.

import { el, replace, row, table, notice } from './dom.js';
import { rate, duration, relativeTime } from './format.js';
import { segment } from './api.js';
import { RefreshedView } from './refresh.js';

const WORDS = {
  pause: { label: 'Pause', doing: 'Pausing' },
  resume: { label: 'Resume', doing: 'Resuming' },
};

export class QueuesView extends RefreshedView {
  constructor(api) {
    super(5000);
    this.api = api;
  }

  mount(node) {
    this.node = node;
    this.heading = el('h1', {}, 'Queues');
    this.outcome = el('p', { id: 'queue-outcome', class: 'outcome', role: 'status' });
    this.body = el('div', { 'aria-live': 'off' });
    replace(node, this.heading, this.outcome, this.body);
    document.title = 'Queues · Errand';
    this.refresher.now();
  }

  wants(event) {
    return (event.task_id !== undefined && event.schedule === undefined)
      || event.type === 'QUEUE_PAUSED' || event.type === 'QUEUE_RESUMED';
  }

  async load() {
    let answer;
    try {
      answer = await this.api.get('/api/queues');
    } catch (e) {
      replace(this.body, notice(`Could not read the queues: ${e.message}`, 'error'));
      return;
    }
    if (answer.queues.length === 0) {
      replace(this.body, notice('This server has no queues.'));
      return;
    }
    replace(this.body, table('Queues, with counts since the server started',
      ['Queue', 'State', 'Waiting', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'Retried',
        'Throughput', 'Run time p50 / p99', 'Workers', 'Capacity'],
      answer.queues.map((q) => this.queueRow(q))));
  }

  queueRow(q) {
    const c = q.counts;
    const count = (name, label) => [label, String(c[name]), { class: 'num', 'data-count': name }];
    const state = q.paused ? 'paused' : 'running';
    return row({ id: `queue-${q.name}`, 'data-queue': q.name, 'data-state': state }, [
      ['Queue', [el('a', { href: `#/tasks?queue=${encodeURIComponent(q.name)}` }, q.name),
        // Yao's `name`: the queue's name for people, shown under the name the API knows.
        q.label ? el('span', { class: 'queue-label', 'data-label-of': q.name }, q.label) : null]],
      ['State', [el('span', { class: `state state-${state} queue-state`, title: q.paused_since ?? '' },
        q.paused ? ['paused ', relativeTime(q.paused_since)] : 'running'), ' ',
      this.button(q, q.paused ? 'resume' : 'pause')]],
      count('waiting', 'Waiting'),
      count('running', 'Running'),
      count('succeeded', 'Succeeded'),
      count('failed', 'Failed'),
      count('cancelled', 'Cancelled'),
      count('retried', 'Retried'),
      ['Throughput', rate(q.throughput_per_second), { class: 'num', 'data-count': 'throughput' }],
      ['Run time p50 / p99', q.run_time_ms.count === 0 ? '—'
        : `${duration(q.run_time_ms.p50)} / ${duration(q.run_time_ms.p99)}`, { class: 'num' }],
      ['Workers', String(q.workers), { class: 'num' }],
      ['Capacity', String(q.capacity), { class: 'num' }],
    ]);
  }

  button(q, action) {
    const button = el('button', {
      type: 'button',
      class: `queue-${action}`,
      'aria-label': `${WORDS[action].label} ${q.name}`,
      onclick: () => this.act(q, action, button),
    }, WORDS[action].label);
    return button;
  }

  async act(q, action, button) {
    button.disabled = true;
    this.outcome.textContent = `${WORDS[action].doing} ${q.name}…`;
    try {
      const answer = await this.api.post(`/api/queues/${segment(q.name)}/${action}`);
      this.outcome.textContent = `${q.name} is ${answer.paused ? 'paused' : 'running'}.`;
    } catch (e) {
      this.outcome.textContent = `Could not ${WORDS[action].label.toLowerCase()} ${q.name}: ${e.message}`;
    }
    await this.refresher.now();
  }
}
