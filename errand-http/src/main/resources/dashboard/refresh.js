// Re-reading from the API when events say something changed, at most once a second however
// many events come: the page never polls faster than that.

const MIN_INTERVAL_MS = 1000;

/**
 * Runs `load` when asked, at most once per second: asks during a run or within a second of the
 * last one are merged into one run after it. `every(ms)` also runs it on a timer (>= 1 s), for
 * figures that change without events (a queue's throughput falls when nothing happens).
 */
export class Refresher {
  constructor(load) {
    this.load = load;
    this.lastRun = 0;
    this.running = false;
    this.pending = false;
    this.timer = null;
    this.interval = null;
    this.stopped = false;
  }

  /** Asks for a run: now if the last was more than a second ago, otherwise once it may. */
  request() {
    if (this.stopped) {
      return;
    }
    if (this.running || this.timer) {
      this.pending = true;
      return;
    }
    const wait = this.lastRun + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.run();
      }, wait);
    } else {
      this.run();
    }
  }

  /** Runs now (the first load of a view), whatever the last run was. */
  now() {
    return this.run();
  }

  async run() {
    if (this.stopped) {
      return;
    }
    this.running = true;
    this.pending = false;
    this.lastRun = Date.now();
    try {
      await this.load();
    } finally {
      this.running = false;
      if (this.pending) {
        this.pending = false;
        this.request();
      }
    }
  }

  every(ms) {
    clearInterval(this.interval);
    this.interval = setInterval(() => this.request(), Math.max(ms, MIN_INTERVAL_MS));
    return this;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.interval);
  }
}

/**
 * What every view shares: a Refresher that re-reads its content (`load()`), stopped when the
 * view leaves the page, asked again after a reconnect (`reload`) and on the events the view
 * `wants` (none by default; a view may take its events itself by overriding `onEvent`).
 */
export class RefreshedView {
  constructor(everyMs) {
    this.refresher = new Refresher(() => this.load());
    if (everyMs) {
      this.refresher.every(everyMs);
    }
  }

  unmount() {
    this.refresher.stop();
  }

  reload() {
    this.refresher.request();
  }

  onEvent(event) {
    if (this.wants(event.data)) {
      this.refresher.request();
    }
  }

  wants() {
    return false;
  }
}
