// A task's progress: a <progress> bar with its figures in words beside it (the bar alone says
// nothing to a screen reader or in a text-only browser).

import { el } from './dom.js';
import { percent, progressText, statusBadge, statusWhen } from './format.js';

/** A progress bar for task `id`; `set(status, current, total)` moves it. */
export function progressBar(id) {
  const bar = el('progress', { max: '100', 'aria-label': `Progress of task ${id}` });
  const text = el('span', { class: 'progress-text' });
  const node = el('div', { class: 'progress' }, bar, text);
  return {
    node,
    set(status, current, total) {
      const p = percent(status, current, total);
      if (p === null && status === 'RUNNING') {
        bar.removeAttribute('value'); // indeterminate: running, size unknown
      } else {
        bar.value = p ?? 0;
      }
      text.textContent = progressText(status, current, total);
    },
  };
}

/**
 * Puts a status badge for `status` into `cell`, in place of what was there; a task WAITING for
 * a `runAt` still ahead shows SCHEDULED and when it is due ("in 12 min").
 */
export function setStatus(cell, status, runAt = null) {
  const when = statusWhen(status, runAt);
  cell.replaceChildren(statusBadge(status, runAt), ...(when ? [' ', when] : []));
}
