// #/history: what each queue did over the last hour or day (GET /api/history), drawn as
// charts: tasks ended per span (succeeded and failed, stacked), and the mean wait and run
// time. The server keeps the buckets, summed over every node, so any node shows the same.

import { el, replace, notice } from './dom.js';
import { barChart, lineChart } from './chart.js';
import { RefreshedView } from './refresh.js';

const RANGES = { hour: 'Last hour', day: 'Last day' };

export class HistoryView extends RefreshedView {
  constructor(api, params) {
    super(15000);
    this.api = api;
    this.range = RANGES[params.get('range')] ? params.get('range') : 'hour';
    this.queue = params.get('queue') || '';
  }

  mount(node) {
    const links = Object.entries(RANGES).map(([range, text]) => el('a', {
      href: this.hash(range), class: 'range', 'aria-current': range === this.range ? 'page' : null,
    }, text));
    this.body = el('div', { id: 'history' });
    replace(node, el('h1', {}, 'History'), el('p', { class: 'ranges' }, links), this.body);
    document.title = 'History · Errand';
    this.refresher.now();
  }

  hash(range) {
    const q = new URLSearchParams({ range });
    if (this.queue) {
      q.set('queue', this.queue);
    }
    return `#/history?${q}`;
  }

  async load() {
    let answer;
    try {
      const q = new URLSearchParams({ range: this.range });
      if (this.queue) {
        q.set('queue', this.queue);
      }
      answer = await this.api.get(`/api/history?${q}`);
    } catch (e) {
      replace(this.body, notice(`Could not read the history: ${e.message}`, 'error'));
      return;
    }
    replace(this.body, answer.queues.length === 0 ? notice('No queues.')
      : answer.queues.map((q) => this.queueCharts(q, answer.step_seconds)));
  }

  queueCharts(q, stepSeconds) {
    const labels = q.points.map((p) => new Date(p.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    const succeeded = q.points.map((p) => p.succeeded);
    const failed = q.points.map((p) => p.failed);
    const sum = (v) => v.reduce((a, b) => a + b, 0);
    const per = stepSeconds === 60 ? 'minute' : `${stepSeconds / 60} minutes`;
    return el('section', { class: 'history-queue', 'data-queue': q.queue, 'aria-label': `Queue ${q.queue}` },
      el('h2', {}, q.queue),
      el('p', { class: 'history-totals' },
        el('span', { class: 'history-succeeded' }, `${sum(succeeded)} succeeded`), ' · ',
        el('span', { class: 'history-failed' }, `${sum(failed)} failed`)),
      el('figure', { class: 'history-chart', 'data-chart': 'throughput' },
        barChart(`Tasks ended per ${per} in ${q.queue}`, labels,
          [['succeeded', 'ok', succeeded], ['failed', 'failed', failed]]),
        el('figcaption', {}, `Tasks ended per ${per}: succeeded, failed (stacked)`)),
      el('figure', { class: 'history-chart', 'data-chart': 'wait' },
        lineChart(`Mean wait in ${q.queue}`, labels,
          [['mean wait', 'wait', q.points.map((p) => p.wait_ms_avg)]], ' ms'),
        el('figcaption', {}, 'Mean wait after due (ms)')),
      el('figure', { class: 'history-chart', 'data-chart': 'run' },
        lineChart(`Mean run time in ${q.queue}`, labels,
          [['mean run', 'run', q.points.map((p) => p.run_ms_avg)]], ' ms'),
        el('figcaption', {}, 'Mean run time (ms)')));
  }
}
