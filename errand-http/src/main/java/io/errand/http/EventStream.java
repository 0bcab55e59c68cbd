package io.errand.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.errand.api.Cluster;
import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.TaskEvent;
import io.errand.common.UrlPasswords;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: Server-Sent Events, one {@code event:} per Errand event with
 * {@code id:} its sequence number in the {@link EventLog}, written by {@link EventIds} (on one
 * node with the name of the server's run: {@code <run>-<seq>}). Each client is served by its own
 * request thread (a virtual thread), which reads the log from its own cursor and blocks only
 * on its own socket: a slow client delays nobody else, and the engine never waits for it.
 *
 * <p>A client that reconnects with {@code Last-Event-ID} first gets every buffered event after
 * that id, then live ones, from one cursor, so there is no gap and no duplicate between the
 * two. If that id has left the buffer, an {@code event: gap} comes first. If it is of an
 * earlier run of the server (on one node numbers start again at each start), an
 * {@code event: reset} comes instead, and the stream goes on live: the client must re-read what
 * it shows, as the events it missed are not kept anywhere. Heartbeats (comment
 * lines) keep idle connections open and carry the cursor as {@code id:}, so that a filtered
 * client resumes after the events it skipped rather than before them.
 *
 * <p><b>In a cluster</b> the ids are the numbers of the cluster's event log, the same on every
 * node: a client that reconnects to another node with its {@code Last-Event-ID} is first sent,
 * from the database, what that node's buffer does not hold (events before the server started,
 * or pushed out of the buffer), then goes on from the buffer.
 */
final class EventStream {
  private static final int BATCH = 256;
  /**
   * Events whose {@code taskId} is not a task's own event: a batch's group, a key's instance,
   * a schedule's (SCHEDULE_FIRED names the task it submitted, but a watcher of that task
   * follows the task's own events, which begin with its ADDED), and a queue's pause and resume.
   */
  private static final List<EventType> NOT_TASKS = List.of(EventType.BATCH_FINISHED,
      EventType.KEY_STARTED, EventType.KEY_STOPPED, EventType.KEY_CRASHED,
      EventType.KEY_RESTARTING, EventType.KEY_FAILED, EventType.SCHEDULE_FIRED,
      EventType.SCHEDULE_SKIPPED, EventType.QUEUE_PAUSED, EventType.QUEUE_RESUMED);

  private final EventLog log;
  private final Errand errand;
  private final Views views;
  private final ObjectMapper mapper;
  private final long heartbeatNanos;
  private final AtomicInteger clients = new AtomicInteger();

  EventStream(EventLog log, Errand errand, Views views, ObjectMapper mapper, Duration heartbeat) {
    this.log = log;
    this.errand = errand;
    this.views = views;
    this.mapper = mapper;
    this.heartbeatNanos = heartbeat.toNanos();
  }

  /** How many clients are connected now. */
  AtomicInteger clients() {
    return clients;
  }

  void handle(Context ctx) throws IOException {
    Params.only(ctx, List.of("queue", "task"));
    String queue = Params.query(ctx, "queue");
    if (queue != null && !errand.queues().contains(queue)
        && !errand.supervisors().contains(queue)) {
      Lookups.queue(errand, queue); // 404 naming the queues
    }
    long task = Params.queryLong(ctx, "task", 1, Long.MAX_VALUE, 0);
    EventIds ids = log.ids();
    EventIds.Resume from = ids.resume(ctx.header("Last-Event-ID"));

    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no"); // proxies must not buffer the stream
    OutputStream out = ctx.res().getOutputStream();
    StringBuilder b = new StringBuilder("retry: 3000\n: connected\n");
    boolean resumed = from instanceof EventIds.After;
    long seen;
    switch (from) {
      case EventIds.After a -> {
        seen = a.seen();
        b.append('\n');
      }
      case EventIds.Live l -> {
        seen = log.newest(); // a new client starts live; its id lets it resume from here
        b.append("id: ").append(ids.text(seen)).append("\n\n");
      }
      case EventIds.OtherRun o -> {
        // Its events are gone with the run that sent them; live from here, with an id of
        // this run, and a word to re-read what it shows.
        seen = log.newest();
        b.append('\n');
        reset(b, ids.text(seen), "the event id '" + JsonBodies.abbreviate(o.id(), 40)
            + "' is not of this run of the server (it restarted since, or the id is another"
            + " server's); the events after it are not kept: re-read what you show. The"
            + " stream goes on live from id " + ids.text(seen));
      }
    }
    clients.incrementAndGet();
    try {
      write(out, b);
      if (resumed) {
        seen = replay(out, seen, queue, task);
      }
      stream(out, seen, queue, task);
    } catch (IOException e) {
      // the client went away: nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    } finally {
      clients.decrementAndGet();
    }
  }

  private void stream(OutputStream out, long seen, String queue, long task)
      throws IOException, InterruptedException {
    long lastWrite = System.nanoTime();
    while (true) {
      EventLog.Read r = log.after(seen, BATCH, heartbeatNanos);
      if (r.closed()) {
        return;
      }
      StringBuilder b = new StringBuilder();
      if (r.gap()) {
        gap(b, null, "events after id " + log.ids().text(seen) + " are no longer buffered;"
            + " continuing with the oldest buffered, id " + log.ids().text(r.from()), 0);
      }
      for (EventLog.Entry e : r.entries()) {
        if (e.lost() > 0) {
          gap(b, e.event() == null ? e.seq() : null, "the server dropped " + e.lost()
              + " events because this stream's buffer was full", e.lost());
        }
        if (e.event() != null && matches(e.event(), queue, task)) {
          append(b, e.event(), e.seq());
        }
        seen = e.seq();
      }
      if (r.entries().isEmpty()) {
        seen = r.from() - 1;
      }
      if (b.isEmpty() && System.nanoTime() - lastWrite >= heartbeatNanos) {
        b.append(": keep-alive\nid: ").append(log.ids().text(seen)).append("\n\n");
      }
      if (!b.isEmpty()) {
        write(out, b);
        lastWrite = System.nanoTime();
      }
    }
  }

  /**
   * In a cluster, sends from the event log the events after {@code seen} that the buffer no
   * longer (or never) held; answers the cursor to go on from in the buffer.
   */
  private long replay(OutputStream out, long seen, String queue, long task) throws IOException {
    Cluster cluster = errand.cluster().orElse(null);
    if (cluster == null) {
      return seen;
    }
    while (true) {
      long oldest = log.oldest();
      if (seen + 1 >= oldest) {
        return seen;
      }
      List<TaskEvent> page = cluster.eventsAfter(seen, BATCH);
      StringBuilder b = new StringBuilder();
      boolean caughtUp = page.isEmpty();
      for (TaskEvent e : page) {
        if (e.seq() >= oldest) {
          caughtUp = true;
          break;
        }
        if (matches(e, queue, task)) {
          append(b, UrlPasswords.mask(e), e.seq());
        }
        seen = e.seq();
      }
      if (!b.isEmpty()) {
        write(out, b);
      }
      if (caughtUp) { // the log holds nothing more before the buffer's oldest entry
        return oldest == Long.MAX_VALUE ? seen : Math.max(seen, oldest - 1);
      }
    }
  }

  private void append(StringBuilder b, TaskEvent e, long seq) throws IOException {
    ObjectNode data = views.event(e).put("seq", seq);
    b.append("id: ").append(log.ids().text(seq)).append("\nevent: ").append(e.type().name())
        .append("\ndata: ").append(mapper.writeValueAsString(data)).append("\n\n");
  }

  private void gap(StringBuilder b, Long seq, String message, long lost) throws IOException {
    ObjectNode data = views.object().put("message", message);
    if (lost > 0) {
      data.put("lost", lost);
    }
    if (seq != null) {
      b.append("id: ").append(log.ids().text(seq)).append('\n');
    }
    b.append("event: gap\ndata: ").append(mapper.writeValueAsString(data)).append("\n\n");
  }

  /** An {@code event: reset} with the {@code id} to go on from. */
  private void reset(StringBuilder b, String id, String message) throws IOException {
    ObjectNode data = views.object().put("message", message);
    b.append("id: ").append(id).append("\nevent: reset\ndata: ")
        .append(mapper.writeValueAsString(data)).append("\n\n");
  }

  private static boolean matches(TaskEvent e, String queue, long task) {
    if (queue != null && !queue.equals(e.queue())) {
      return false;
    }
    return task == 0 || (e.taskId() == task && !NOT_TASKS.contains(e.type()));
  }

  private static void write(OutputStream out, CharSequence text) throws IOException {
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
