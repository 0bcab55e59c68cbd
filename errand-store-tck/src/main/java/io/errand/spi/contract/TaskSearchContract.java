package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.FailureGroup;
import io.errand.api.InvalidTaskException;
import io.errand.api.ManualClock;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskFilter;
import io.errand.api.TaskStatus;
import io.errand.spi.Claim;
import io.errand.spi.Inserted;
import io.errand.spi.Outcome;
import io.errand.spi.StoreContext;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskSearch;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store with a {@link TaskStore#search()} role must do, and what every store must
 * keep of an error (its causes, stack trace and output). A store module runs it by extending
 * this class; each test gets a fresh store opened at {@link NewTasks#T0}.
 */
public abstract class TaskSearchContract {
  private static final String Q = "mail";
  private static final String OTHER = "sms";
  private static final String NODE = "node-a";

  private ManualClock clock;
  private TaskStore store;
  private Tasks tasks;
  private TaskSearch search;

  /** A new, empty store, not yet opened. */
  protected abstract TaskStore newStore();

  /** The store under test, for a subclass's own clean-up. */
  protected TaskStore store() {
    return store;
  }

  @BeforeEach
  void openStore() {
    clock = new ManualClock(T0);
    store = newStore();
    store.open(new StoreContext(clock, new RecordingSignals(), new JsonTestCodec(Map.of()),
        NODE));
    tasks = store.tasks();
    search = store.search().orElseThrow(() -> new AssertionError("the store has no search"));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void errorsKeepTheirCausesTraceAndOutputAcrossRetryAndEnd() {
    long id = add(task(Q));
    TaskError first = detailed(1, "connection reset", "line one\nline \"two\"");
    TaskError last = new TaskError(2, "java.lang.IllegalStateException", "gave up", T0,
        List.of(), "java.lang.IllegalStateException: gave up\n\tat A.b(A.java:1)\n", "");
    claim(Q);
    tasks.reschedule(id, 1, first, T0);
    claim(Q);
    tasks.finish(id, 2, new Outcome.Failed(last), T0);

    assertThat(tasks.find(id).orElseThrow().info().errors()).containsExactly(first, last);
    assertThat(search.find(TaskFilter.ALL, 10, 0).items().get(0).info().errors())
        .containsExactly(first, last);
  }

  @Test
  void findMatchesTextInIdKeyArgsAndErrorsIgnoringCase() {
    long byArgs = add(task(Q).args(Map.of("city", "Zürich-Oerlikon")));
    long byKey = add(task(Q).key("invoice-OERLIKON-7"));
    long byError = add(task(Q));
    long neither = add(task(Q).args(Map.of("city", "Bern")));
    fail(byError, new TaskError(1, "java.net.ConnectException", "refused", T0,
        List.of(new TaskError.Cause("java.io.IOException", "host oerlikon.example down")), "",
        ""));
    long byTrace = add(task(Q));
    fail(byTrace, new TaskError(1, "X", "m", T0, List.of(), "at Oerlikon.run(Oerlikon.java)",
        ""));

    assertThat(ids(find(filter(null, null, "oerlikon")))).containsExactly(byTrace, byError,
        byKey, byArgs);
    assertThat(ids(find(filter(null, null, Long.toString(neither))))).contains(neither);
    assertThat(ids(find(filter(null, null, "no such text anywhere")))).isEmpty();
  }

  @Test
  void findTakesLikePatternCharactersLiterally() {
    long percent = add(task(Q).args(Map.of("note", "50% off")));
    add(task(Q).args(Map.of("note", "500 off")));
    long underscore = add(task(Q).key("a_b"));
    add(task(Q).key("axb"));

    assertThat(ids(find(filter(null, null, "50%")))).containsExactly(percent);
    assertThat(ids(find(filter(null, null, "a_b")))).containsExactly(underscore);
  }

  @Test
  void findFiltersByQueueStatusAndCreationTimeAndPagesNewestFirst() {
    List<Long> mail = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      mail.add(add(task(Q).createdAt(T0.plusSeconds(i))));
      add(task(OTHER).createdAt(T0.plusSeconds(i)));
    }
    long failed = mail.get(3);
    clock.advance(java.time.Duration.ofSeconds(10));
    claimUntil(failed);
    tasks.finish(failed, 1, new Outcome.Failed(new TaskError(1, "E", "x", T0)), T0);

    TaskFilter range = new TaskFilter(Q, null, null, T0.plusSeconds(2), T0.plusSeconds(6));
    Page<TaskRecord> first = search.find(range, 3, 0);
    assertThat(ids(first)).containsExactly(mail.get(5), mail.get(4), mail.get(3));
    assertThat(first.hasMore()).isTrue();
    Page<TaskRecord> second = search.find(range, 3, first.nextCursor());
    assertThat(ids(second)).containsExactly(mail.get(2));
    assertThat(second.hasMore()).isFalse();
    assertThat(search.count(range)).isEqualTo(4);

    TaskFilter failedOnly = new TaskFilter(Q, TaskStatus.FAILURE, null, null, null);
    assertThat(ids(find(failedOnly))).containsExactly(failed);
    assertThat(search.count(failedOnly)).isEqualTo(1);
    assertThat(search.count(TaskFilter.ALL)).isEqualTo(14);
  }

  /** A range of a day or less is read through the creation-time index: still paged by id. */
  @Test
  void aNarrowRangeIsPagedByIdEvenWhenCreationTimesAreOutOfOrder() {
    long a = add(task(Q).createdAt(T0.plusSeconds(5)));
    long b = add(task(Q).createdAt(T0.plusSeconds(1)));
    long c = add(task(OTHER).createdAt(T0.plusSeconds(3)));
    long d = add(task(Q).createdAt(T0.plusSeconds(9)));

    TaskFilter narrow = new TaskFilter(null, null, null, T0, T0.plusSeconds(6));
    Page<TaskRecord> first = search.find(narrow, 2, 0);
    assertThat(ids(first)).containsExactly(c, b);
    assertThat(first.hasMore()).isTrue();
    assertThat(ids(search.find(narrow, 2, first.nextCursor()))).containsExactly(a);
    assertThat(ids(search.find(new TaskFilter(Q, null, null, T0, T0.plusSeconds(6)), 5, 0)))
        .containsExactly(b, a);
    TaskFilter wide = new TaskFilter(null, null, null, T0, T0.plus(java.time.Duration.ofDays(3)));
    assertThat(ids(search.find(wide, 10, 0))).containsExactly(d, c, b, a);
  }

  @Test
  void failuresGroupFailedTasksByTheirLastErrorLargestFirst() {
    List<Long> timeouts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long id = add(task(Q));
      fail(id, new TaskError(1, "java.net.SocketTimeoutException", "read timed out", T0));
      timeouts.add(id);
    }
    long refused = add(task(Q));
    fail(refused, new TaskError(1, "java.net.ConnectException", "refused", T0));
    long retriedThenRefused = add(task(Q));
    claimUntil(retriedThenRefused);
    tasks.reschedule(retriedThenRefused, 1, new TaskError(1, "java.net.SocketTimeoutException",
        "read timed out", T0), T0);
    claimUntil(retriedThenRefused);
    tasks.finish(retriedThenRefused, 2, new Outcome.Failed(new TaskError(2,
        "java.net.ConnectException", "refused", T0)), T0.plusSeconds(5));
    add(task(OTHER));
    long otherQueue = add(task(OTHER));
    fail(otherQueue, new TaskError(1, "java.net.ConnectException", "refused", T0));

    List<FailureGroup> all = search.failures(TaskFilter.ALL, 10);
    assertThat(all).extracting(FailureGroup::type, FailureGroup::message, FailureGroup::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("java.net.ConnectException", "refused", 3L),
            org.assertj.core.groups.Tuple.tuple("java.net.SocketTimeoutException",
                "read timed out", 3L));
    assertThat(all.get(0).latestTask()).isEqualTo(otherQueue);
    assertThat(all.get(1).latestTask()).isEqualTo(timeouts.get(2));

    List<FailureGroup> mail = search.failures(new TaskFilter(Q, null, null, null, null), 1);
    assertThat(mail).singleElement().satisfies(g -> {
      assertThat(g.count()).isEqualTo(3);
      assertThat(g.type()).isEqualTo("java.net.SocketTimeoutException");
    });
  }

  @Test
  void badPagesAndFiltersAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> search.find(TaskFilter.ALL, 0, 0))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> search.find(TaskFilter.ALL, 10, -1))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("cursor");
    assertThatThrownBy(() -> search.failures(TaskFilter.ALL, 1001))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("1001");
    assertThatThrownBy(() -> new TaskFilter(null, null, null, T0, T0))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("before");
  }

  private static TaskError detailed(int attempt, String message, String output) {
    return new TaskError(attempt, "java.io.UncheckedIOException", message, T0,
        List.of(new TaskError.Cause("java.net.SocketException", "reset by peer"),
            new TaskError.Cause("java.io.EOFException", null)),
        "java.io.UncheckedIOException: " + message + "\n\tat a.B.c(B.java:12)\n", output);
  }

  private static TaskFilter filter(String queue, TaskStatus status, String text) {
    return new TaskFilter(queue, status, text, null, null);
  }

  private Page<TaskRecord> find(TaskFilter f) {
    return search.find(f, 100, 0);
  }

  private static List<Long> ids(Page<TaskRecord> page) {
    return page.items().stream().map(TaskRecord::id).toList();
  }

  private long add(NewTasks.Builder task) {
    Inserted r = tasks.insert(task.build());
    assertThat(r).isInstanceOf(Inserted.Created.class);
    return r.id();
  }

  private TaskRecord claim(String queue) {
    return tasks.claim(queue, NODE, clock.instant()) instanceof Claim.Claimed(TaskRecord rec)
        ? rec : null;
  }

  /** Claims tasks of {@code id}'s queue until it is claimed; others stay RUNNING. */
  private void claimUntil(long id) {
    String queue = tasks.find(id).orElseThrow().info().queue();
    TaskRecord rec;
    while ((rec = claim(queue)) != null) {
      if (rec.id() == id) {
        return;
      }
    }
    throw new AssertionError("task " + id + " was never claimed");
  }

  private void fail(long id, TaskError error) {
    claimUntil(id);
    tasks.finish(id, error.attempt(), new Outcome.Failed(error), T0);
  }
}
