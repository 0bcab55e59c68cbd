// #/schedules: each schedule with its spec in words, its next runs and its last outcome, with
// Pause or Resume and Run now. Schedule events bring a re-read, at most once a second.

import { el, replace, row, table, notice } from './dom.js';
import { relativeTime, statusBadge, time } from './format.js';
import { segment } from './api.js';
import { RefreshedView } from './refresh.js';

const WORDS = {
  pause: { label: 'Pause', doing: 'Pausing', done: (s) => `${s.name} is ${s.state}.` },
  resume: { label: 'Resume', doing: 'Resuming', done: (s) => `${s.name} is ${s.state}.` },
  'run-now': { label: 'Run now', doing: 'Submitting a run of', done: (a, name) => `${name}: task ${a.task_id} submitted.` },
};

export class SchedulesView extends RefreshedView {
  constructor(api) {
    super(10000);
    this.api = api;
  }

  mount(node) {
    this.body = el('div');
    this.outcome = el('p', { id: 'schedule-outcome', class: 'outcome', role: 'status' });
    replace(node, el('h1', {}, 'Schedules'), this.outcome, this.body);
    document.title = 'Schedules · Errand';
    this.refresher.now();
  }

  wants(event) {
    return event.schedule !== undefined;
  }

  async load() {
    let answer;
    try {
      answer = await this.api.get('/api/schedules');
    } catch (e) {
      replace(this.body, notice(`Could not read the schedules: ${e.message}`, 'error'));
      return;
    }
    replace(this.body, answer.schedules.length === 0 ? notice('This server has no schedules.')
      : table('Schedules', ['Name', 'Queue', 'When', 'State', 'Next runs', 'Last run', 'Actions'],
        answer.schedules.map((s) => this.scheduleRow(s))));
  }

  scheduleRow(s) {
    const toggle = s.state === 'PAUSED' ? 'resume' : 'pause';
    const next = s.state === 'PAUSED' ? 'paused'
      : s.next.length === 0 ? 'no more occurrences'
        : el('ul', { class: 'next-runs' }, s.next.map((t) => el('li', {}, el('time', { datetime: t }, time(t)))));
    const last = s.last_run === null ? 'never'
      : el('span', {},
        el('a', { href: `#/tasks/${s.last_run.task_id}` }, `#${s.last_run.task_id}`), ' ',
        s.last_run.status ? statusBadge(s.last_run.status) : 'removed', ' ',
        relativeTime(s.last_run.fired_at));
    return row({ 'data-schedule': s.name, 'data-state': s.state }, [
      ['Name', s.name],
      ['Queue', s.queue],
      ['When', el('span', { title: s.spec, class: 'schedule-words' }, s.description)],
      ['State', el('span', { class: `state state-${s.state.toLowerCase()}` }, s.state), { class: 'schedule-state' }],
      ['Next runs', next, { class: 'schedule-next' }],
      ['Last run', last, { class: 'schedule-last' }],
      ['Actions', el('span', {}, this.button(s, toggle), ' ', this.button(s, 'run-now'))],
    ]);
  }

  button(s, action) {
    const button = el('button', {
      type: 'button',
      class: `schedule-${action}`,
      'aria-label': `${WORDS[action].label} ${s.name}`,
      onclick: () => this.act(s, action, button),
    }, WORDS[action].label);
    return button;
  }

  async act(s, action, button) {
    button.disabled = true;
    this.outcome.textContent = `${WORDS[action].doing} ${s.name}…`;
    try {
      const answer = await this.api.post(`/api/schedules/${segment(s.name)}/${action}`);
      this.outcome.textContent = WORDS[action].done(answer, s.name);
    } catch (e) {
      this.outcome.textContent = `Could not ${WORDS[action].label.toLowerCase()} ${s.name}: ${e.message}`;
    }
    await this.refresher.now();
  }
}
