// #/supervisors: each keyed supervisor and its keys (state in words, restarts, last error),
// with Pause and Resume per key, and Restart for a key that FAILED (or STOPPED). Key events
// bring a re-read, at most once a second.

import { el, replace, row, table, notice } from './dom.js';
import { relativeTime } from './format.js';
import { segment } from './api.js';
import { RefreshedView } from './refresh.js';

/** The one action a key in each state offers; Pause for the others. */
const ACTIONS = { PAUSED: 'resume', FAILED: 'restart', STOPPED: 'restart' };
const WORDS = {
  pause: { label: 'Pause', doing: 'Pausing' },
  resume: { label: 'Resume', doing: 'Resuming' },
  restart: { label: 'Restart', doing: 'Restarting' },
};

export class SupervisorsView extends RefreshedView {
  constructor(api) {
    super(10000);
    this.api = api;
  }

  mount(node) {
    this.body = el('div');
    this.outcome = el('p', { id: 'key-outcome', class: 'outcome', role: 'status' });
    replace(node, el('h1', {}, 'Supervisors'), this.outcome, this.body);
    document.title = 'Supervisors · Errand';
    this.refresher.now();
  }

  wants(event) {
    return event.supervisor !== undefined;
  }

  async load() {
    let sections;
    try {
      const answer = await this.api.get('/api/supervisors');
      sections = await Promise.all(answer.supervisors.map((s) => this.supervisor(s.name)));
    } catch (e) {
      replace(this.body, notice(`Could not read the supervisors: ${e.message}`, 'error'));
      return;
    }
    replace(this.body, sections.length > 0 ? sections : notice('This server has no supervisors.'));
  }

  async supervisor(name) {
    const answer = await this.api.get(`/api/supervisors/${segment(name)}/keys`);
    const titleId = `supervisor-${name}-title`;
    return el('section', { class: 'supervisor', id: `supervisor-${name}`, 'aria-labelledby': titleId },
      el('h2', { id: titleId }, name),
      answer.keys.length === 0 ? notice('No keys.')
        : table(`Keys of ${name}`, ['Key', 'State', 'Restarts', 'Since', 'Last error', 'Message', 'Actions'],
          answer.keys.map((k) => this.keyRow(k))));
  }

  keyRow(k) {
    const action = ACTIONS[k.state] ?? 'pause';
    const button = el('button', {
      type: 'button',
      class: `key-${action}`,
      'aria-label': `${WORDS[action].label} ${k.key}`,
      onclick: () => this.act(k, action, button),
    }, WORDS[action].label);
    const error = k.last_error ? `${k.last_error.type}: ${k.last_error.message}` : '—';
    return row({ 'data-supervisor': k.supervisor, 'data-key': k.key, 'data-state': k.state }, [
      ['Key', k.key],
      ['State', el('span', { class: `state state-${k.state.toLowerCase()}` }, k.state), { class: 'key-state' }],
      ['Restarts', String(k.restarts), { class: 'num' }],
      ['Since', relativeTime(k.since)],
      ['Last error', error],
      ['Message', k.message || '—'],
      ['Actions', button],
    ]);
  }

  async act(k, action, button) {
    button.disabled = true;
    this.outcome.textContent = `${WORDS[action].doing} ${k.key}…`;
    try {
      const status = await this.api.post(
        `/api/supervisors/${segment(k.supervisor)}/keys/${segment(k.key)}/${action}`);
      this.outcome.textContent = `${k.key} is ${status.state}.`;
    } catch (e) {
      this.outcome.textContent = `Could not ${action} ${k.key}: ${e.message}`;
    }
    await this.refresher.now();
  }
}
