// How values read on the page: statuses as words (colour only adds to them), times relative to
// now ("3 s ago", "in 12 min") with the reader's local time on hover, progress as a percentage
// with its figures. `tick()` keeps the relative words and the scheduled badges true as time
// passes, without asking the server.

const LIVE = new Set(['WAITING', 'RUNNING']);

/** Whether a task in `status` may still change. */
export function isLive(status) {
  return LIVE.has(status);
}

/**
 * A status as a labelled badge: the word is always there, the colour only repeats it. A WAITING
 * task whose `runAt` is still ahead is SCHEDULED (delayed, or waiting for its retry's backoff):
 * not yet due, unlike one that waits for a worker. Its badge turns WAITING when the time comes.
 */
export function statusBadge(status, runAt = null) {
  const badge = document.createElement('span');
  if (status === 'WAITING' && runAt) {
    badge.dataset.runAt = runAt;
  }
  showStatus(badge, status, Date.now());
  return badge;
}

/** The words beside a badge for a scheduled task: when it is due ("in 12 min"), or nothing. */
export function statusWhen(status, runAt) {
  return isScheduled(status, runAt, Date.now()) ? relativeTime(runAt, { dueOnly: true }) : null;
}

/** Clocks of browser and server differ a little: a task due within this is not "scheduled". */
const SKEW_MS = 1000;

function isScheduled(status, runAt, now) {
  return status === 'WAITING' && Boolean(runAt) && new Date(runAt).getTime() > now + SKEW_MS;
}

function showStatus(badge, status, now) {
  const shown = isScheduled(status, badge.dataset.runAt, now) ? 'SCHEDULED' : status;
  badge.className = `status status-${String(shown).toLowerCase()}`;
  badge.textContent = shown;
  badge.dataset.status = status;
}

/** Progress as 0-100, or null when the handler gave no total. */
export function percent(status, current, total) {
  if (status === 'SUCCESS') {
    return 100;
  }
  if (!total || total <= 0) {
    return null;
  }
  return Math.max(0, Math.min(100, Math.floor((current * 100) / total)));
}

/** The words beside a progress bar: "40% (2/5)", or what is known without a total. */
export function progressText(status, current, total) {
  const p = percent(status, current, total);
  if (p === null) {
    return status === 'RUNNING' ? (current > 0 ? `${current} done` : 'running') : '—';
  }
  return total > 0 ? `${p}% (${current}/${total})` : `${p}%`;
}

/** An ISO-8601 instant in the reader's locale, or a dash. */
export function time(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/**
 * How far `ms` (a time in epoch milliseconds) is from `now`: "now", "3 s ago", "in 12 min",
 * "in 1 h 59 min" (minutes too below two days, where whole hours alone would be far off), "3 d ago".
 */
export function relative(ms, now = Date.now()) {
  const diff = ms - now;
  const s = Math.round(Math.abs(diff) / 1000);
  if (s < 1) {
    return 'now';
  }
  let words;
  if (s < 60) {
    words = `${s} s`;
  } else if (s < 3600) {
    words = `${Math.floor(s / 60)} min`;
  } else if (s < 48 * 3600) {
    const m = Math.floor((s % 3600) / 60);
    words = `${Math.floor(s / 3600)} h${m > 0 ? ` ${m} min` : ''}`;
  } else {
    words = `${Math.floor(s / 86400)} d`;
  }
  return diff > 0 ? `in ${words}` : `${words} ago`;
}

/**
 * A <time> for an ISO-8601 instant that reads relative to now ("3 s ago") and shows the
 * reader's local date and time on hover (its title), or a dash. With `dueOnly`, it shows only
 * while the instant is ahead (a scheduled task's "in 12 min") and empties once it passed.
 */
export function relativeTime(iso, { dueOnly = false } = {}) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const node = document.createElement('time');
  node.className = 'relative';
  node.dateTime = iso;
  node.title = d.toLocaleString();
  if (dueOnly) {
    node.dataset.dueOnly = '';
  }
  showRelative(node, Date.now());
  return node;
}

function showRelative(node, now) {
  const at = new Date(node.dateTime).getTime();
  node.textContent = node.dataset.dueOnly !== undefined && at <= now ? '' : relative(at, now);
}

/** Brings every relative time and scheduled badge under `root` up to now. */
export function tick(root = document) {
  const now = Date.now();
  for (const node of root.querySelectorAll('time.relative')) {
    showRelative(node, now);
  }
  for (const badge of root.querySelectorAll('.status[data-run-at]')) {
    showStatus(badge, badge.dataset.status, now);
  }
}

/** Milliseconds as a short duration: "850 ms", "12.4 s", "3 min 5 s", "2 h 10 min". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${Math.round(s % 60)} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A JSON value, indented, for <pre>. */
export function json(value) {
  return value === undefined ? '—' : JSON.stringify(value, null, 2);
}

/** A rate with one decimal: "41.5/s". */
export function rate(perSecond) {
  return `${(perSecond ?? 0).toFixed(1)}/s`;
}
