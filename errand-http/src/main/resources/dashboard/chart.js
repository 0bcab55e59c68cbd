// Charts drawn as inline SVG from numbers, with no library and nothing from elsewhere: every
// shape is an element made here, its colours from classes in style.css (the page's CSP allows
// no inline style), and each chart carries a text summary for screen readers.

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 120;
const PAD_LEFT = 44;
const PAD_BOTTOM = 16;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

function frame(label, max, unit) {
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': label,
    preserveAspectRatio: 'none',
  });
  root.append(svg('title', {}, label));
  const plotBottom = HEIGHT - PAD_BOTTOM;
  root.append(svg('line', { x1: PAD_LEFT, y1: plotBottom, x2: WIDTH, y2: plotBottom, class: 'axis' }));
  root.append(svg('text', { x: PAD_LEFT - 4, y: 10, class: 'tick', 'text-anchor': 'end' },
    `${max}${unit}`));
  root.append(svg('text', { x: PAD_LEFT - 4, y: plotBottom, class: 'tick', 'text-anchor': 'end' },
    `0${unit}`));
  return root;
}

function scale(values) {
  return Math.max(1, ...values);
}

/**
 * Stacked bars, one per point: `series` are [name, className, values] drawn bottom up.
 * `labels` name the points (their times), shown as each bar's tooltip.
 */
export function barChart(label, labels, series, unit = '') {
  const totals = labels.map((_, i) => series.reduce((sum, [, , v]) => sum + v[i], 0));
  const max = scale(totals);
  const root = frame(label, max, unit);
  const plotHeight = HEIGHT - PAD_BOTTOM - 4;
  const step = (WIDTH - PAD_LEFT) / labels.length;
  labels.forEach((at, i) => {
    let y = HEIGHT - PAD_BOTTOM;
    for (const [name, className, values] of series) {
      const h = (values[i] / max) * plotHeight;
      if (h > 0) {
        y -= h;
        root.append(svg('rect', {
          x: PAD_LEFT + i * step + 0.5, y, width: Math.max(1, step - 1), height: h,
          class: `bar ${className}`,
        }, svg('title', {}, `${at}: ${values[i]} ${name}`)));
      }
    }
  });
  return root;
}

/** Lines, one per series ([name, className, values]), over the points named by `labels`. */
export function lineChart(label, labels, series, unit = '') {
  const max = scale(series.flatMap(([, , v]) => v));
  const root = frame(label, max, unit);
  const plotHeight = HEIGHT - PAD_BOTTOM - 4;
  const step = (WIDTH - PAD_LEFT) / labels.length;
  for (const [name, className, values] of series) {
    const points = values.map((v, i) =>
      `${(PAD_LEFT + (i + 0.5) * step).toFixed(1)},${(HEIGHT - PAD_BOTTOM - (v / max) * plotHeight).toFixed(1)}`);
    root.append(svg('polyline', { points: points.join(' '), class: `line ${className}` },
      svg('title', {}, name)));
  }
  return root;
}
