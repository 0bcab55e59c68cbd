// #/nodes: the nodes sharing this server's store (PostgreSQL), each with its last heartbeat and
// the tasks running on it; on one node, this node alone. Re-read every 5 s, and when a task
// starts or ends (at most once a second).

import { el, replace, row, table, notice } from './dom.js';
import { relativeTime } from './format.js';
import { RefreshedView } from './refresh.js';

const MOVES = new Set(['STARTED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'RETRYING']);

export class NodesView extends RefreshedView {
  constructor(api) {
    super(5000);
    this.api = api;
  }

  mount(node) {
    this.body = el('div', { 'aria-live': 'off' });
    replace(node, el('h1', {}, 'Nodes'), this.body);
    document.title = 'Nodes · Errand';
    this.refresher.now();
  }

  wants(event) {
    return MOVES.has(event.type);
  }

  async load() {
    let answer;
    try {
      answer = await this.api.get('/api/nodes');
    } catch (e) {
      replace(this.body, notice(`Could not read the nodes: ${e.message}`, 'error'));
      return;
    }
    const intro = answer.clustered
      ? notice(`${answer.nodes.length} node(s) share this server's store.`)
      : notice('This server runs alone: its store is not shared with other nodes.');
    replace(this.body, intro, table('Nodes',
      ['Node', 'Id', 'Last heartbeat', 'Lease', 'State', 'Running'],
      answer.nodes.map((n) => row({ 'data-node': n.name, 'data-node-id': n.id ?? '' }, [
        ['Node', el('span', {}, n.name, n.self ? el('span', { class: 'node-self' }, ' (this one)') : null)],
        ['Id', n.id === null ? '—' : String(n.id), { class: 'num' }],
        ['Last heartbeat', relativeTime(n.heartbeat_at)],
        ['Lease', n.lease ?? '—'],
        ['State', el('span', { class: `state state-${n.alive ? 'alive' : 'dead'}` },
          n.alive ? 'alive' : 'presumed dead'), { class: 'node-state' }],
        ['Running', String(n.running), { class: 'num', 'data-count': 'running' }],
      ]))));
  }
}
