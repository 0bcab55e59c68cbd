// How values read on the page: statuses as words (colour only adds to them), times in the
// reader's locale, progress as a percentage with its figures.

const LIVE = new Set(['WAITING', 'RUNNING']);

/** Whether a task in `status` may still change. */
export function isLive(status) {
  return LIVE.has(status);
}

/** A status as a labelled badge: the word is always there, the colour only repeats it. */
export function statusBadge(status) {
  const badge = document.createElement('span');
  badge.className = `status status-${String(status).toLowerCase()}`;
  badge.textContent = status;
  return badge;
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
