// #/queues: every queue with its live counts and throughput, re-read when events come (at most
// once a second) and every 5 s for the throughput, which falls when nothing happens.

import { el, replace, row, table, notice } from './dom.js';
import { rate, duration } from './format.js';
import { RefreshedView } from './refresh.js';

export class QueuesView extends RefreshedView {
  constructor(api) {
    super(5000);
    this.api = api;
  }

  mount(node) {
    this.node = node;
    this.heading = el('h1', {}, 'Queues');
    this.body = el('div', { 'aria-live': 'off' });
    replace(node, this.heading, this.body);
    document.title = 'Queues · Errand';
    this.refresher.now();
  }

  wants(event) {
    return event.task_id !== undefined && event.schedule === undefined;
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
      ['Queue', 'Waiting', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'Retried',
        'Throughput', 'Run time p50 / p99', 'Workers', 'Capacity'],
      answer.queues.map((q) => this.queueRow(q))));
  }

  queueRow(q) {
    const c = q.counts;
    const count = (name, label) => [label, String(c[name]), { class: 'num', 'data-count': name }];
    return row({ id: `queue-${q.name}`, 'data-queue': q.name }, [
      ['Queue', [el('a', { href: `#/tasks?queue=${encodeURIComponent(q.name)}` }, q.name),
        // Yao's `name`: the queue's name for people, shown under the name the API knows.
        q.label ? el('span', { class: 'queue-label', 'data-label-of': q.name }, q.label) : null]],
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
}
