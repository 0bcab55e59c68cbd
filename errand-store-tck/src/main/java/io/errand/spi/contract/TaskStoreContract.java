package io.errand.spi.contract;

import static io.errand.spi.contract.NewTasks.T0;
import static io.errand.spi.contract.NewTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.BatchStatus;
import io.errand.api.InvalidTaskException;
import io.errand.api.ManualClock;
import io.errand.api.Page;
import io.errand.api.QueueFullException;
import io.errand.api.TaskError;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.CancelAnswer;
import io.errand.spi.Change;
import io.errand.spi.Claim;
import io.errand.spi.Deletion;
import io.errand.spi.EndAndNext;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.Inserted;
import io.errand.spi.NewTask;
import io.errand.spi.Outcome;
import io.errand.spi.PayloadCodec;
import io.errand.spi.ProgressAnswer;
import io.errand.spi.StoreContext;
import io.errand.spi.SupervisedKeys;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TaskStore} must have, whatever keeps its tasks. A store module
 * runs it unchanged by extending this class and implementing {@link #newStore()}; each test
 * gets a fresh, empty store, opened with a {@link ManualClock} at {@link NewTasks#T0}, a
 * {@link RecordingSignals}, a {@link JsonTestCodec} and node {@link #NODE}. Tests call the
 * store's roles through {@link #tasks}, {@link #groups} and {@link #keys}; every status change
 * they see is recorded, and after each test the suite asserts that the transition table
 * ({@link io.errand.api.TaskStatus#canMoveTo}) allows all of them.
 *
 * <p>Signals are read with Awaitility, since a store may deliver them from another thread.
 * Where the SPI's Javadoc leaves room, the test names the reading it pins down.
 */
public abstract class TaskStoreContract {
  /** The queue most tests use. */
  protected static final String Q = "mail";
  /** A second queue, to check that queues are kept apart. */
  protected static final String OTHER = "sms";
  /** A queue whose arguments are {@link Point}s. */
  protected static final String POINTS = "points";
  /** The node name in the store's context. */
  protected static final String NODE = "node-a";

  private static final Duration SIGNAL_WAIT = Duration.ofSeconds(5);
  private static final Duration THREAD_WAIT = Duration.ofSeconds(60);

  protected ManualClock clock;
  protected RecordingSignals signals;
  protected PayloadCodec codec;
  protected TaskStore store;
  /** The store's tasks, each answer noted in {@link #transitions}. */
  protected Tasks tasks;
  /** The store's groups, the tasks they change noted in {@link #transitions}. */
  protected Groups groups;
  /** The store's supervised keys. */
  protected SupervisedKeys keys;
  /** Every status change the test saw; checked against the transition table after it. */
  protected TransitionLog transitions;

  /** A new, empty store, not yet opened. */
  protected abstract TaskStore newStore();

  @BeforeEach
  void openStore() {
    clock = new ManualClock(T0);
    signals = new RecordingSignals();
    codec = new JsonTestCodec(Map.of(POINTS, Point.class));
    store = newStore();
    store.open(new StoreContext(clock, signals, codec, NODE));
    transitions = new TransitionLog();
    ObservedTasks observed = new ObservedTasks(store.tasks(), transitions);
    tasks = observed;
    groups = new ObservedGroups(store.groups(), observed);
    keys = store.keys();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
    assertThat(transitions.illegalMoves())
        .as("status changes outside TaskStatus.canMoveTo, among all seen: %s",
            transitions.moves())
        .isEmpty();
  }

  // ---------------------------------------------------------------- insert

  @Test
  void insert_numbersTasksWithPositiveUniqueIncreasingIds() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Inserted r = tasks.insert(task(i % 2 == 0 ? Q : OTHER).build());
      assertThat(r).isInstanceOf(Inserted.Created.class);
      ids.add(r.id());
    }
    assertThat(ids).allSatisfy(id -> assertThat(id).isPositive()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void insert_createsAWaitingTaskWithTheGivenValues() {
    long id = add(task(Q).args("hello").createdAt(T0).runAt(t(30)).priority(7).key("k1"));

    TaskRecord rec = record(id);
    TaskInfo info = rec.info();
    assertThat(info.id()).isEqualTo(id);
    assertThat(info.queue()).isEqualTo(Q);
    assertThat(info.status()).isEqualTo(TaskStatus.WAITING);
    assertThat(info.attempt()).isZero();
    assertThat(info.args()).isEqualTo("hello");
    assertThat(info.createdAt()).isEqualTo(T0);
    assertThat(info.runAt()).isEqualTo(t(30));
    assertThat(info.priority()).isEqualTo(7);
    assertThat(info.key()).isEqualTo("k1");
    assertThat(info.group()).isZero();
    assertThat(info.current()).isZero();
    assertThat(info.total()).isZero();
    assertThat(info.response()).isNull();
    assertThat(info.errors()).isEmpty();
    assertThat(info.startedAt()).isNull();
    assertThat(info.finishedAt()).isNull();
    assertThat(info.cancelReason()).isNull();
    assertThat(rec.next()).isZero();
    assertThat(rec.previousResult()).isNull();
    assertThat(rec.cancelRequested()).isFalse();
    assertThat(rec.node()).isNull();
  }

  @Test
  void insert_roundTripsArguments() {
    long point = add(task(POINTS).args(new Point(1, 2)));
    long text = add(task(Q).args("text"));
    long number = add(task(Q).args(42));
    long map = add(task(Q).args(Map.of("to", "ann", "n", 3)));
    long none = add(task(Q).args(null));

    assertThat(info(point).args()).isEqualTo(new Point(1, 2));
    assertThat(info(text).args()).isEqualTo("text");
    assertThat(info(number).args()).isEqualTo(42);
    assertThat(info(map).args()).isEqualTo(Map.of("to", "ann", "n", 3));
    assertThat(info(none).args()).isNull();
  }

  @Test
  void insert_honoursAGivenId() {
    Inserted r = tasks.insert(task(Q).id(4242).build());

    assertThat(r).isEqualTo(new Inserted.Created(4242));
    assertThat(info(4242).status()).isEqualTo(TaskStatus.WAITING);
  }

  @Test
  void insert_refusesAGivenIdThatIsTaken() {
    add(task(Q).id(7).args("first"));

    assertThatThrownBy(() -> tasks.insert(task(Q).id(7).args("second").build()))
        .isInstanceOf(InvalidTaskException.class);
    assertThat(info(7).args()).isEqualTo("first");
    assertThat(tasks.waiting(Q)).isEqualTo(1);
  }

  @Test
  void insert_refusesAGivenIdTakenByANumberedTask() {
    long id = add(task(Q));

    assertThatThrownBy(() -> tasks.insert(task(OTHER).id(id).build()))
        .isInstanceOf(InvalidTaskException.class);
    assertThat(info(id).queue()).isEqualTo(Q);
    assertThat(tasks.waiting(OTHER)).isZero();
  }

  /** Id 0 means "number it"; any other id below 1 is refused. */
  @Test
  void insert_refusesANegativeGivenId() {
    assertThatThrownBy(() -> tasks.insert(task(Q).id(-3).build()))
        .isInstanceOf(InvalidTaskException.class);
    assertThat(tasks.waiting(Q)).isZero();
    assertThat(allIds(TaskQuery.newest(100))).isEmpty();
  }

  /** A store numbering tasks skips the ids already given: its inserts never fail on them. */
  @Test
  void insert_numberedIdsNeverCollideWithGivenIds() {
    add(task(Q).id(2));
    add(task(Q).id(3));

    List<Long> numbered = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      numbered.add(add(task(Q)));
    }
    assertThat(numbered).doesNotHaveDuplicates().doesNotContain(2L, 3L)
        .allSatisfy(id -> assertThat(id).isPositive());
    assertThat(tasks.waiting(Q)).isEqualTo(8);
  }

  // ---------------------------------------------------------------- capacity

  @Test
  void insert_beyondCapacityIsRefusedAndStoresNothing() {
    add(task(Q).capacity(2));
    add(task(Q).capacity(2).runAt(t(3600))); // not yet due: waiting all the same

    assertThatThrownBy(() -> tasks.insert(task(Q).capacity(2).args("third").build()))
        .isInstanceOfSatisfying(QueueFullException.class, e -> {
          assertThat(e.queue()).isEqualTo(Q);
          assertThat(e.capacity()).isEqualTo(2);
        });
    assertThat(tasks.waiting(Q)).isEqualTo(2);
    assertThat(allIds(TaskQuery.newest(100))).hasSize(2);
  }

  @Test
  void capacity_countsOnlyWaitingTasks() {
    long a = add(task(Q).capacity(2));
    long b = add(task(Q).capacity(2));
    assertThatThrownBy(() -> tasks.insert(task(Q).capacity(2).build()))
        .isInstanceOf(QueueFullException.class);

    assertThat(claim(Q).id()).isEqualTo(a); // running frees its place
    add(task(Q).capacity(2));
    assertThatThrownBy(() -> tasks.insert(task(Q).capacity(2).build()))
        .isInstanceOf(QueueFullException.class);

    tasks.requestCancel(b, "no longer needed", now()); // finished frees its place
    add(task(Q).capacity(2));
    assertThat(tasks.waiting(Q)).isEqualTo(2);
  }

  @Test
  void capacity_isPerQueue() {
    add(task(Q).capacity(1));

    Inserted other = tasks.insert(task(OTHER).capacity(1).build());

    assertThat(other).isInstanceOf(Inserted.Created.class);
  }

  // ---------------------------------------------------------------- unique keys

  @Test
  void key_secondInsertReturnsTheLiveTaskAndInsertsNothing() {
    long first = add(task(Q).key("k").args("first"));

    Inserted again = tasks.insert(task(Q).key("k").args("second").build());

    assertThat(again).isEqualTo(new Inserted.AlreadyLive(first));
    assertThat(info(first).args()).isEqualTo("first");
    assertThat(tasks.waiting(Q)).isEqualTo(1);
    assertThat(allIds(TaskQuery.newest(100))).containsExactly(first);
  }

  @Test
  void key_staysTakenWhileTheTaskRunsAndWhileItWaitsForARetry() {
    long id = add(task(Q).key("k"));
    TaskRecord running = claim(Q);
    assertThat(tasks.insert(task(Q).key("k").build())).isEqualTo(new Inserted.AlreadyLive(id));

    tasks.reschedule(id, running.info().attempt(), error(1, "boom"), t(60));

    assertThat(tasks.insert(task(Q).key("k").build())).isEqualTo(new Inserted.AlreadyLive(id));
  }

  @Test
  void key_isFreeAgainOnceTheTaskFinished() {
    long first = add(task(Q).key("k"));
    TaskRecord running = claim(Q);
    tasks.finish(first, running.info().attempt(), new Outcome.Succeeded("done"), now());

    Inserted again = tasks.insert(task(Q).key("k").build());

    assertThat(again).isInstanceOf(Inserted.Created.class);
    assertThat(again.id()).isNotEqualTo(first);
    assertThat(info(again.id()).key()).isEqualTo("k");
  }

  @Test
  void key_isFreeAgainOnceTheWaitingTaskWasCancelled() {
    long first = add(task(Q).key("k"));
    tasks.requestCancel(first, "changed my mind", now());

    Inserted again = tasks.insert(task(Q).key("k").build());

    assertThat(again).isInstanceOf(Inserted.Created.class);
    assertThat(again.id()).isNotEqualTo(first);
  }

  @Test
  void key_isPerQueue() {
    Inserted a = tasks.insert(task(Q).key("k").build());
    Inserted b = tasks.insert(task(OTHER).key("k").build());

    assertThat(a).isInstanceOf(Inserted.Created.class);
    assertThat(b).isInstanceOf(Inserted.Created.class);
    assertThat(a.id()).isNotEqualTo(b.id());
  }

  /**
   * Reading pinned here: a key that matches a live task answers with that task even when the
   * queue is full, since nothing would be inserted anyway (a retried submit stays idempotent).
   */
  @Test
  void key_matchingALiveTaskIsAnsweredEvenWhenTheQueueIsFull() {
    long id = add(task(Q).key("k").capacity(1));

    Inserted again = tasks.insert(task(Q).key("k").capacity(1).build());

    assertThat(again).isEqualTo(new Inserted.AlreadyLive(id));
  }

  // ---------------------------------------------------------------- claim

  @Test
  void claim_returnsNullWhenNothingIsDue() {
    assertThat(claim(Q)).as("empty store").isNull();
    assertThat(claim("no-such-queue")).as("unknown queue").isNull();

    add(task(Q));
    assertThat(claim(Q)).isNotNull();
    assertThat(claim(Q)).as("only task already running").isNull();
  }

  @Test
  void claim_waitsForRunAt() {
    long id = add(task(Q).runAt(t(10)));

    assertThat(tasks.claim(Q, NODE, t(9))).isEqualTo(Claim.NONE_DUE);
    clock.advance(Duration.ofSeconds(10));
    TaskRecord claimed = claimed(tasks.claim(Q, NODE, t(10)));

    assertThat(claimed).isNotNull();
    assertThat(claimed.id()).isEqualTo(id);
  }

  @Test
  void claim_takesHighestPriorityThenEarliestRunAtThenLowestId() {
    Instant created = t(-10);
    long a = add(task(Q).createdAt(created).runAt(t(-5)).priority(0));
    long b = add(task(Q).createdAt(created).runAt(t(-1)).priority(5));
    long c = add(task(Q).createdAt(created).runAt(t(-3)).priority(5));
    long d = add(task(Q).createdAt(created).runAt(t(-5)).priority(0));
    long e = add(task(Q).createdAt(created).runAt(t(-9)).priority(-1));
    long f = add(task(Q).createdAt(created).runAt(t(-3)).priority(5));
    add(task(Q).createdAt(created).runAt(t(100)).priority(9)); // not due

    assertThat(drain(Q)).containsExactly(c, f, b, a, d, e);
  }

  /** A backlog of delayed tasks, however urgent, neither hides a due task nor goes first. */
  @Test
  void claim_takesADueLowPriorityTaskBehindManyDelayedHigherPriorityOnes() {
    for (int i = 0; i < 50; i++) {
      add(task(Q).runAt(t(100 + i)).priority(9));
    }
    long due = add(task(Q).priority(-3));

    assertThat(drain(Q)).containsExactly(due);
    assertThat(tasks.waiting(Q)).isEqualTo(50);
  }

  /**
   * A delayed task that becomes due ranks among the tasks already due by priority, then runAt,
   * then id, exactly as if it had been due all along.
   */
  @Test
  void claim_ranksATaskThatBecameDueAmongTheTasksAlreadyDue() {
    long early = add(task(Q).runAt(T0));
    long second = add(task(Q).runAt(T0));
    long urgent = add(task(Q).runAt(t(5)).priority(5));
    long late = add(task(Q).runAt(t(3)));
    assertThat(claim(Q).id()).isEqualTo(early);

    clock.advance(Duration.ofSeconds(10));

    assertThat(drain(Q)).containsExactly(urgent, second, late);
  }

  /** A claim of many takes at most that many, in claim order, each started as one claim is. */
  @Test
  void claimMany_takesUpToMaxInClaimOrder() {
    Instant created = t(-10);
    long low = add(task(Q).createdAt(created).runAt(t(-5)).priority(0));
    long high = add(task(Q).createdAt(created).runAt(t(-1)).priority(5));
    long higher = add(task(Q).createdAt(created).runAt(t(-1)).priority(7));
    long lowest = add(task(Q).createdAt(created).runAt(t(-9)).priority(-1));
    add(task(Q).createdAt(created).runAt(t(100)).priority(9)); // not due
    add(task(OTHER).createdAt(created).runAt(t(-9))); // another queue

    List<TaskRecord> first = tasks.claim(Q, NODE, now(), 3);
    List<TaskRecord> rest = tasks.claim(Q, NODE, now(), 10);

    assertThat(first).extracting(TaskRecord::id).containsExactly(higher, high, low);
    assertThat(rest).extracting(TaskRecord::id).containsExactly(lowest);
    for (TaskRecord rec : first) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(rec.info().attempt()).isEqualTo(1);
      assertThat(rec.node()).isEqualTo(NODE);
      assertThat(info(rec.id()).status()).isEqualTo(TaskStatus.RUNNING);
    }
    assertThat(tasks.claim(Q, NODE, now(), 5)).isEmpty();
    assertThat(tasks.waiting(Q)).isEqualTo(1);
  }

  /** Delayed tasks that became due are taken by a claim of many in their rank, none early. */
  @Test
  void claimMany_ranksTasksThatBecameDueAndLeavesTheOthers() {
    long early = add(task(Q).runAt(T0));
    long urgent = add(task(Q).runAt(t(5)).priority(5));
    long late = add(task(Q).runAt(t(3)));
    long notYet = add(task(Q).runAt(t(60)).priority(9));
    assertThat(tasks.claim(Q, NODE, now(), 4)).extracting(TaskRecord::id).containsExactly(early);

    clock.advance(Duration.ofSeconds(10));

    assertThat(tasks.claim(Q, NODE, now(), 4)).extracting(TaskRecord::id)
        .containsExactly(urgent, late);
    assertThat(tasks.nextDue(Q)).contains(t(60));
    clock.advance(Duration.ofSeconds(60));
    assertThat(tasks.claim(Q, NODE, now(), 4)).extracting(TaskRecord::id)
        .containsExactly(notYet);
  }

  @Test
  void claimMany_refusesAMaxBelowOne() {
    assertThatThrownBy(() -> tasks.claim(Q, NODE, now(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max")
        .hasMessageContaining("0");
  }

  /** Due means due at the claim's now, even for a task an earlier, later-clocked claim saw due. */
  @Test
  void claim_takesNoTaskThatIsNotDueAtItsNow() {
    long first = add(task(Q).runAt(t(5)));
    long second = add(task(Q).runAt(t(6)));

    assertThat(claimed(tasks.claim(Q, NODE, t(10))).id()).isEqualTo(first);
    assertThat(tasks.claim(Q, NODE, t(1))).isEqualTo(Claim.NONE_DUE);
    assertThat(claimed(tasks.claim(Q, NODE, t(6))).id()).isEqualTo(second);
  }

  /** A retry due later waits for its time; one due now is taken at once. */
  @Test
  void claim_takesARescheduledTaskWhenItsNewRunAtComes() {
    long id = add(task(Q));
    tasks.claim(Q, NODE, T0);
    tasks.reschedule(id, 1, error(1, "flaky"), t(30));

    assertThat(tasks.claim(Q, NODE, t(29))).isEqualTo(Claim.NONE_DUE);
    assertThat(tasks.nextDue(Q)).contains(t(30));
    assertThat(claimed(tasks.claim(Q, NODE, t(30))).id()).isEqualTo(id);
    tasks.reschedule(id, 2, error(2, "flaky"), t(30));
    assertThat(claimed(tasks.claim(Q, NODE, t(30))).id()).isEqualTo(id);
  }

  @Test
  void claim_startsTheTaskOnTheGivenNode() {
    long id = add(task(Q));
    clock.advance(Duration.ofSeconds(5));

    TaskRecord claimed = claimed(tasks.claim(Q, "node-b", t(5)));

    for (TaskRecord rec : List.of(claimed, record(id))) {
      assertThat(rec.id()).isEqualTo(id);
      assertThat(rec.info().status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(rec.info().attempt()).isEqualTo(1);
      assertThat(rec.info().startedAt()).isEqualTo(t(5));
      assertThat(rec.info().finishedAt()).isNull();
      assertThat(rec.node()).isEqualTo("node-b");
      assertThat(rec.cancelRequested()).isFalse();
    }
    assertThat(tasks.waiting(Q)).isZero();
  }

  @Test
  void claim_neverHandsOutATaskTwice() {
    long id = add(task(Q));

    assertThat(claim(Q).id()).isEqualTo(id);
    assertThat(claim(Q)).isNull();
  }

  @Test
  void claim_takesOnlyFromTheAskedQueue() {
    long id = add(task(OTHER));

    assertThat(claim(Q)).isNull();
    assertThat(claim(OTHER).id()).isEqualTo(id);
  }

  @Test
  void claim_answersTheTaskAsTheStoreNowHoldsIt() {
    long id = add(task(Q).args("hi").key("k").priority(3).runAt(T0));
    tasks.claim(Q, NODE, T0);
    tasks.reschedule(id, 1, error(1, "flaky"), T0);
    tasks.progress(id, 0, 0, 0, null); // fenced out: nothing changes

    TaskRecord claimed = claimed(tasks.claim(Q, NODE, t(2)));

    assertThat(claimed).usingRecursiveComparison().isEqualTo(record(id));
    assertThat(claimed.info().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(claimed.info().attempt()).isEqualTo(2);
    assertThat(claimed.info().startedAt()).isEqualTo(t(2));
    assertThat(claimed.info().errors()).extracting(TaskError::message).containsExactly("flaky");
    assertThat(claimed.node()).isEqualTo(NODE);
  }

  // ---------------------------------------------------------------- finishAndClaim

  @Test
  void finishAndClaim_endsTheAttemptAndClaimsTheNextDueTask() {
    long first = add(task(Q));
    long second = add(task(Q));
    long other = add(task(OTHER));
    claim(Q);

    EndAndNext both = tasks.finishAndClaim(first, 1, new Outcome.Succeeded("done"), t(3), Q,
        NODE);

    TaskRecord ended = changed(both.ended());
    TaskRecord next = claimed(both.next());
    assertThat(ended).usingRecursiveComparison().isEqualTo(record(first));
    assertThat(ended.info().status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(ended.info().finishedAt()).isEqualTo(t(3));
    assertThat(next).usingRecursiveComparison().isEqualTo(record(second));
    assertThat(next.info().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(next.info().startedAt()).isEqualTo(t(3));
    assertThat(info(other).status()).as("another queue's task").isEqualTo(TaskStatus.WAITING);
    assertThat(tasks.waiting(Q)).isZero();
  }

  @Test
  void finishAndClaim_claimsNothingWhenNothingIsDue() {
    long id = add(task(Q));
    add(task(Q).runAt(t(60)));
    claim(Q);

    EndAndNext both = tasks.finishAndClaim(id, 1, new Outcome.Succeeded(null), t(1), Q, NODE);

    assertThat(changed(both.ended()).info().status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(both.next()).isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void finishAndClaim_stillClaimsWhenTheEndIsFencedOut() {
    long stale = add(task(Q));
    long next = add(task(Q));
    claim(Q);
    tasks.requestCancel(stale, "stop", t(1));
    tasks.finish(stale, 1, new Outcome.Cancelled("stop", null), t(1));

    EndAndNext both = tasks.finishAndClaim(stale, 1, new Outcome.Succeeded("late"), t(2), Q,
        NODE);

    assertThat(both.ended()).isEqualTo(Change.FENCED_OUT);
    assertThat(info(stale).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(claimed(both.next()).id()).isEqualTo(next);
  }

  @Test
  void finish_afterProgressAndACancelRequestAnswersTheTaskAsStored() {
    long id = add(task(Q).args("x"));
    claim(Q);
    tasks.progress(id, 1, 4, 5, "four of five");
    tasks.requestCancel(id, "hurry", t(1));

    TaskRecord after = changed(tasks.finish(id, 1, new Outcome.Succeeded(42), t(2)));

    assertThat(after).usingRecursiveComparison().isEqualTo(record(id));
    assertThat(after.info().message()).isEqualTo("four of five");
    assertThat(after.info().current()).isEqualTo(4);
    assertThat(after.info().cancelReason()).isEqualTo("hurry");
    assertThat(after.cancelRequested()).isTrue();
  }

  // ---------------------------------------------------------------- nextDue

  @Test
  void nextDue_isEmptyWhenNothingWaits() {
    assertThat(tasks.nextDue(Q)).as("empty store").isEmpty();

    long id = add(task(Q));
    TaskRecord running = claim(Q);
    assertThat(tasks.nextDue(Q)).as("only task running").isEmpty();

    tasks.finish(id, running.info().attempt(), new Outcome.Succeeded(null), now());
    assertThat(tasks.nextDue(Q)).as("only task finished").isEmpty();
  }

  @Test
  void nextDue_isTheEarliestRunAtOfTheQueuesWaitingTasks() {
    add(task(Q).runAt(t(30)));
    add(task(Q).runAt(t(10)).priority(-5));
    add(task(Q).runAt(t(20)).priority(9));
    add(task(OTHER).runAt(t(5)));

    assertThat(tasks.nextDue(Q)).contains(t(10));
  }

  /** Not only future tasks: among tasks already due, it is the earliest runAt as well. */
  @Test
  void nextDue_keepsTheLatestRunAtTheApiAllowsExactly() {
    // SubmitOptions.LATEST_RUN_AT: the memory store overflowed turning its micros back into an
    // instant, and every store's conversion to micros overflowed for later times
    Instant latest = io.errand.api.SubmitOptions.LATEST_RUN_AT;
    long id = add(task(Q).runAt(latest));

    assertThat(tasks.nextDue(Q)).contains(latest);
    assertThat(record(id).info().runAt()).isEqualTo(latest);
    assertThat(tasks.claim(Q, NODE, clock.instant())).as("not due for 8,000 years").isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void nextDue_isTheEarliestRunAtAlsoAmongTasksAlreadyDue() {
    add(task(Q).createdAt(T0).runAt(T0).priority(5));
    add(task(Q).createdAt(T0).runAt(t(-60)).priority(0));
    add(task(Q).createdAt(T0).runAt(t(60)).priority(9));

    assertThat(tasks.nextDue(Q)).contains(t(-60));
  }

  /** Tasks a claim found due and left waiting count too, beside tasks still delayed. */
  @Test
  void nextDue_countsTasksThatBecameDueAndWereNotClaimed() {
    add(task(Q).runAt(t(5)));
    add(task(Q).runAt(t(7)));
    add(task(Q).runAt(t(60)));
    clock.advance(Duration.ofSeconds(10));
    assertThat(claim(Q)).isNotNull();

    assertThat(tasks.nextDue(Q)).contains(t(7));
  }

  @Test
  void nextDue_ignoresHeldChainSteps() {
    groups.insert(List.of(task(Q).build(), task(Q).runAt(t(1)).build()), GroupKind.CHAIN);
    assertThat(claim(Q)).isNotNull();

    assertThat(tasks.nextDue(Q)).isEmpty();
  }

  // ---------------------------------------------------------------- progress and fencing

  @Test
  void progress_recordsProgressOfTheRunningAttempt() {
    long id = add(task(Q));
    int attempt = claim(Q).info().attempt();

    assertThat(tasks.progress(id, attempt, 3, 10, "three of ten")).isEqualTo(ProgressAnswer.RECORDED);

    TaskInfo info = info(id);
    assertThat(info.current()).isEqualTo(3);
    assertThat(info.total()).isEqualTo(10);
    assertThat(info.message()).isEqualTo("three of ten");
  }

  @Test
  void progress_isFencedOutUnlessTheTaskRunsThatAttempt() {
    long waiting = add(task(Q).runAt(t(60)));
    long running = add(task(Q));
    long done = add(task(Q));
    claim(Q); // running
    TaskRecord d = claim(Q);
    tasks.finish(done, d.info().attempt(), new Outcome.Succeeded("ok"), now());
    tasks.progress(running, 1, 1, 4, "one");

    assertThat(tasks.progress(running, 2, 2, 4, "wrong attempt")).isEqualTo(ProgressAnswer.FENCED_OUT);
    assertThat(tasks.progress(waiting, 0, 2, 4, "waiting")).isEqualTo(ProgressAnswer.FENCED_OUT);
    assertThat(tasks.progress(waiting, 1, 2, 4, "waiting")).isEqualTo(ProgressAnswer.FENCED_OUT);
    assertThat(tasks.progress(done, 1, 2, 4, "finished")).isEqualTo(ProgressAnswer.FENCED_OUT);
    assertThat(tasks.progress(999_999, 1, 2, 4, "unknown")).isEqualTo(ProgressAnswer.FENCED_OUT);

    assertThat(info(running)).extracting(TaskInfo::current, TaskInfo::total, TaskInfo::message)
        .containsExactly(1L, 4L, "one");
    assertThat(info(waiting).current()).isZero();
    assertThat(info(done).current()).isZero();
  }

  @Test
  void finish_succeededRecordsTheResult() {
    long id = add(task(Q));
    int attempt = claim(Q).info().attempt();
    tasks.progress(id, attempt, 1, 2, "half");

    TaskRecord after = changed(tasks.finish(id, attempt, new Outcome.Succeeded(new Point(3, 4)), t(7)));

    for (TaskRecord rec : List.of(after, record(id))) {
      TaskInfo info = rec.info();
      assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(info.result(Point.class)).isEqualTo(new Point(3, 4));
      assertThat(info.finishedAt()).isEqualTo(t(7));
      assertThat(info.attempt()).isEqualTo(1);
      assertThat(info.errors()).isEmpty();
      assertThat(info.cancelReason()).isNull();
      assertThat(rec.node()).isNull();
    }
  }

  @Test
  void finish_failedRecordsTheErrorAfterThoseOfEarlierAttempts() {
    long id = add(task(Q));
    claim(Q);
    TaskError first = error(1, "timed out");
    tasks.reschedule(id, 1, first, T0);
    claim(Q);
    TaskError last = error(2, "refused");

    TaskRecord after = changed(tasks.finish(id, 2, new Outcome.Failed(last), t(9)));

    for (TaskRecord rec : List.of(after, record(id))) {
      TaskInfo info = rec.info();
      assertThat(info.status()).isEqualTo(TaskStatus.FAILURE);
      assertThat(info.response()).isEqualTo(last);
      assertThat(info.message()).isEqualTo("refused");
      assertThat(info.errors()).containsExactly(first, last);
      assertThat(info.attempt()).isEqualTo(2);
      assertThat(info.finishedAt()).isEqualTo(t(9));
      assertThat(rec.node()).isNull();
    }
  }

  @Test
  void finish_cancelledRecordsTheReason() {
    long id = add(task(Q));
    claim(Q);

    TaskRecord after = changed(tasks.finish(id, 1, new Outcome.Cancelled("user asked", null), t(4)));

    for (TaskRecord rec : List.of(after, record(id))) {
      TaskInfo info = rec.info();
      assertThat(info.status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(info.attempt()).isEqualTo(1); // its handler started: the attempt counts
      assertThat(info.cancelReason()).isEqualTo("user asked");
      assertThat(info.message()).isEqualTo("user asked");
      assertThat(info.response()).isNull();
      assertThat(info.errors()).isEmpty();
      assertThat(info.finishedAt()).isEqualTo(t(4));
      assertThat(rec.node()).isNull();
    }
  }

  @Test
  void finish_cancelledBeforeTheHandlerStartedDoesNotChargeTheAttempt() {
    long first = add(task(Q));
    long retried = add(task(Q));
    claim(Q);
    claim(Q);
    TaskError boom = error(1, "boom");
    tasks.reschedule(retried, 1, boom, T0);
    claim(Q); // attempt 2 of the retried task

    TaskRecord firstAfter = changed(tasks.finish(first, 1, new Outcome.Cancelled("early", null, false),
        t(4)));
    TaskRecord retriedAfter = changed(tasks.finish(retried, 2,
        new Outcome.Cancelled("early", null, false), t(4)));

    for (TaskRecord rec : List.of(firstAfter, record(first))) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(rec.info().attempt()).isZero();
      assertThat(rec.info().cancelReason()).isEqualTo("early");
      assertThat(rec.info().finishedAt()).isEqualTo(t(4));
      assertThat(rec.node()).isNull();
    }
    for (TaskRecord rec : List.of(retriedAfter, record(retried))) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(rec.info().attempt()).isEqualTo(1);
      assertThat(rec.info().errors()).containsExactly(boom);
    }
  }

  @Test
  void finish_cancelledWithAnErrorKeepsTheError() {
    long id = add(task(Q));
    claim(Q);
    TaskError abandoned = new TaskError(1, "abandoned", "stuck handler", t(4));

    tasks.finish(id, 1, new Outcome.Cancelled("stuck", abandoned), t(4));

    assertThat(info(id).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(info(id).errors()).containsExactly(abandoned);
  }

  @Test
  void finish_isFencedOutUnlessTheTaskRunsThatAttempt() {
    long waiting = add(task(Q).runAt(t(60)));
    long running = add(task(Q));
    long done = add(task(Q));
    claim(Q);
    claim(Q);
    tasks.finish(done, 1, new Outcome.Succeeded("first"), t(1));
    TaskInfo runningBefore = info(running);
    TaskInfo waitingBefore = info(waiting);
    TaskInfo doneBefore = info(done);

    assertThat(tasks.finish(running, 2, new Outcome.Succeeded("x"), t(2))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.finish(waiting, 0, new Outcome.Succeeded("x"), t(2))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.finish(waiting, 1, new Outcome.Succeeded("x"), t(2))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.finish(done, 1, new Outcome.Failed(error(1, "late")), t(2))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.finish(999_999, 1, new Outcome.Succeeded("x"), t(2))).isEqualTo(Change.FENCED_OUT);

    assertThat(info(running)).isEqualTo(runningBefore);
    assertThat(info(waiting)).isEqualTo(waitingBefore);
    assertThat(info(done)).isEqualTo(doneBefore);
  }

  @Test
  void reschedule_isFencedOutUnlessTheTaskRunsThatAttempt() {
    long waiting = add(task(Q).runAt(t(60)));
    long running = add(task(Q));
    long done = add(task(Q));
    claim(Q);
    claim(Q);
    tasks.finish(done, 1, new Outcome.Succeeded("first"), t(1));
    TaskInfo runningBefore = info(running);
    TaskInfo waitingBefore = info(waiting);
    TaskInfo doneBefore = info(done);

    assertThat(tasks.reschedule(running, 2, error(2, "x"), t(5))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.reschedule(waiting, 0, null, t(5))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.reschedule(waiting, 1, error(1, "x"), t(5))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.reschedule(done, 1, error(1, "x"), t(5))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.reschedule(999_999, 1, error(1, "x"), t(5))).isEqualTo(Change.FENCED_OUT);

    assertThat(info(running)).isEqualTo(runningBefore);
    assertThat(info(waiting)).isEqualTo(waitingBefore);
    assertThat(info(done)).isEqualTo(doneBefore);
    assertThat(tasks.waiting(Q)).isEqualTo(1);
  }

  /** The point of fencing: a worker still holding attempt 1 cannot touch attempt 2. */
  @Test
  void fencing_aStaleAttemptCannotChangeTheNewerOne() {
    long id = add(task(Q));
    claim(Q);
    tasks.reschedule(id, 1, error(1, "boom"), T0);
    assertThat(claim(Q).info().attempt()).isEqualTo(2);
    TaskInfo before = info(id);

    assertThat(tasks.progress(id, 1, 5, 5, "stale")).isEqualTo(ProgressAnswer.FENCED_OUT);
    assertThat(tasks.finish(id, 1, new Outcome.Succeeded("stale"), t(1))).isEqualTo(Change.FENCED_OUT);
    assertThat(tasks.reschedule(id, 1, error(1, "stale"), t(1))).isEqualTo(Change.FENCED_OUT);
    assertThat(info(id)).isEqualTo(before);

    assertThat(tasks.finish(id, 2, new Outcome.Succeeded("fresh"), t(2))).isInstanceOf(Change.Changed.class);
    assertThat(info(id).response()).isEqualTo("fresh");
  }

  // ---------------------------------------------------------------- reschedule

  @Test
  void reschedule_withAnErrorWaitsUntilRunAtKeepingTheAttempt() {
    long id = add(task(Q));
    claim(Q);
    TaskError boom = error(1, "boom");

    TaskRecord after = changed(tasks.reschedule(id, 1, boom, t(60)));

    for (TaskRecord rec : List.of(after, record(id))) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.WAITING);
      assertThat(rec.info().attempt()).isEqualTo(1);
      assertThat(rec.info().errors()).containsExactly(boom);
      assertThat(rec.info().runAt()).isEqualTo(t(60));
      assertThat(rec.info().finishedAt()).isNull();
      assertThat(rec.node()).isNull();
    }
    assertThat(tasks.waiting(Q)).isEqualTo(1);
  }

  @Test
  void reschedule_withAnErrorMakesTheTaskClaimableAgainAtRunAtAsTheNextAttempt() {
    long id = add(task(Q));
    claim(Q);
    TaskError boom = error(1, "boom");
    tasks.reschedule(id, 1, boom, t(60));

    assertThat(tasks.claim(Q, NODE, t(59))).isEqualTo(Claim.NONE_DUE);
    clock.advance(Duration.ofSeconds(60));
    TaskRecord again = claimed(tasks.claim(Q, NODE, t(60)));

    assertThat(again.id()).isEqualTo(id);
    assertThat(again.info().attempt()).isEqualTo(2);
    assertThat(again.info().startedAt()).isEqualTo(t(60));
    assertThat(again.info().errors()).containsExactly(boom);
  }

  @Test
  void reschedule_withoutAnErrorDoesNotChargeTheAttempt() {
    long id = add(task(Q));
    claim(Q);

    TaskRecord after = changed(tasks.reschedule(id, 1, null, T0));

    assertThat(after.info().status()).isEqualTo(TaskStatus.WAITING);
    assertThat(after.info().errors()).isEmpty();
    TaskRecord again = claim(Q);
    assertThat(again.id()).isEqualTo(id);
    assertThat(again.info().attempt()).isEqualTo(1);
  }

  @Test
  void reschedule_withoutAnErrorKeepsTheAttemptNumberOfARetry() {
    long id = add(task(Q));
    claim(Q);
    tasks.reschedule(id, 1, error(1, "boom"), T0);
    claim(Q); // attempt 2

    tasks.reschedule(id, 2, null, T0); // requeued at shutdown

    TaskRecord again = claim(Q);
    assertThat(again.info().attempt()).isEqualTo(2);
    assertThat(again.info().errors()).hasSize(1);
  }

  /**
   * A cancel requested while the attempt ran wins over the retry. Reading pinned here:
   * {@code reschedule} has no time argument, so finishedAt is the store clock's now, not the
   * retry's runAt; the failed attempt's error is kept.
   */
  @Test
  void reschedule_ofATaskWithACancelRequestCancelsIt() {
    long id = add(task(Q));
    claim(Q);
    tasks.requestCancel(id, "user asked", t(1));
    clock.advance(Duration.ofSeconds(2));
    TaskError boom = error(1, "boom");

    TaskRecord after = changed(tasks.reschedule(id, 1, boom, t(60)));

    for (TaskRecord rec : List.of(after, record(id))) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(rec.info().cancelReason()).isEqualTo("user asked");
      assertThat(rec.info().message()).isEqualTo("user asked");
      assertThat(rec.info().errors()).containsExactly(boom);
      assertThat(rec.info().finishedAt()).isEqualTo(t(2));
      assertThat(rec.node()).isNull();
    }
    assertThat(tasks.waiting(Q)).isZero();
    assertThat(tasks.claim(Q, NODE, t(3600))).isEqualTo(Claim.NONE_DUE);
  }

  @Test
  void reschedule_withoutAnErrorOfATaskWithACancelRequestCancelsIt() {
    long id = add(task(Q));
    claim(Q);
    tasks.requestCancel(id, "user asked", now());

    TaskRecord after = changed(tasks.reschedule(id, 1, null, now()));

    assertThat(after.info().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(info(id).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(claim(Q)).isNull();
  }

  // ---------------------------------------------------------------- requestCancel

  @Test
  void requestCancel_ofAnUnknownTaskIsNotFound() {
    CancelAnswer answer = tasks.requestCancel(424_242, "why", now());

    assertThat(answer).isEqualTo(CancelAnswer.NOT_FOUND);
  }

  @Test
  void requestCancel_ofAWaitingTaskCancelsItAtOnce() {
    long id = add(task(Q).runAt(t(10)));

    CancelAnswer answer = tasks.requestCancel(id, "not needed", t(3));

    assertThat(answer).isInstanceOf(CancelAnswer.Cancelled.class);
    for (TaskRecord rec : List.of(recordOf(answer), record(id))) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.CANCELLED);
      assertThat(rec.info().cancelReason()).isEqualTo("not needed");
      assertThat(rec.info().message()).isEqualTo("not needed");
      assertThat(rec.info().finishedAt()).isEqualTo(t(3));
      assertThat(rec.info().attempt()).isZero();
    }
    assertThat(tasks.waiting(Q)).isZero();
  }

  @Test
  void requestCancel_ofAWaitingTaskMeansItIsNeverClaimed() {
    long id = add(task(Q).runAt(t(10)));
    tasks.requestCancel(id, "not needed", now());

    clock.advance(Duration.ofSeconds(60));

    assertThat(claim(Q)).isNull();
    assertThat(tasks.nextDue(Q)).isEmpty();
  }

  @Test
  void requestCancel_ofARunningTaskMarksItAndSignalsItsNode() {
    long id = add(task(Q));
    claim(Q);

    CancelAnswer answer = tasks.requestCancel(id, "stop please", t(2));

    assertThat(answer).isInstanceOf(CancelAnswer.StopRequested.class);
    for (TaskRecord rec : List.of(recordOf(answer), record(id))) {
      assertThat(rec.info().status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(rec.cancelRequested()).isTrue();
      assertThat(rec.info().cancelReason()).isEqualTo("stop please");
      assertThat(rec.info().finishedAt()).isNull();
      assertThat(rec.node()).isEqualTo(NODE);
    }
    await().atMost(SIGNAL_WAIT)
        .untilAsserted(() -> assertThat(signals.cancelRequested()).contains(id));
  }

  @Test
  void requestCancel_ofAFinishedTaskChangesNothing() {
    long succeeded = add(task(Q));
    long failed = add(task(Q));
    long cancelled = add(task(Q));
    claim(Q);
    claim(Q);
    claim(Q);
    tasks.finish(succeeded, 1, new Outcome.Succeeded("ok"), t(1));
    tasks.finish(failed, 1, new Outcome.Failed(error(1, "bad")), t(1));
    tasks.finish(cancelled, 1, new Outcome.Cancelled("first reason", null), t(1));

    for (long id : List.of(succeeded, failed, cancelled)) {
      TaskRecord before = record(id);
      CancelAnswer answer = tasks.requestCancel(id, "too late", t(5));

      assertThat(answer).isEqualTo(new CancelAnswer.AlreadyFinished(before));
      assertThat(record(id)).isEqualTo(before);
    }
  }

  /** Reading pinned here: the first cancel stands; a second one does not change its reason. */
  @Test
  void requestCancel_twiceOnAWaitingTaskKeepsTheFirstCancel() {
    long id = add(task(Q));
    TaskRecord first = recordOf(tasks.requestCancel(id, "first", t(1)));

    CancelAnswer second = tasks.requestCancel(id, "second", t(2));

    assertThat(second).isEqualTo(new CancelAnswer.AlreadyFinished(first));
    assertThat(record(id)).isEqualTo(first);
  }

  /** Reading pinned here: the first request stands; a second one does not change its reason. */
  @Test
  void requestCancel_twiceOnARunningTaskKeepsTheFirstRequest() {
    long id = add(task(Q));
    claim(Q);
    tasks.requestCancel(id, "first", t(1));

    CancelAnswer second = tasks.requestCancel(id, "second", t(2));

    assertThat(second).isInstanceOf(CancelAnswer.StopRequested.class);
    assertThat(recordOf(second).info().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(recordOf(second).cancelRequested()).isTrue();
    assertThat(recordOf(second).info().cancelReason()).isEqualTo("first");
    assertThat(info(id).cancelReason()).isEqualTo("first");
  }

  // ---------------------------------------------------------------- groups

  @Test
  void insertGroup_insertsAllTasksAsOneGroupInOrder() {
    GroupInserted g = groups.insert(List.of(
        task(Q).args("a").build(), task(OTHER).args("b").build(), task(Q).args("c").build()), GroupKind.BATCH);

    assertThat(g.group()).isPositive();
    assertThat(g.ids()).hasSize(3).doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isPositive());
    assertThat(g.ids().stream().map(id -> info(id).args())).containsExactly("a", "b", "c");
    assertThat(g.ids().stream().map(id -> info(id).queue())).containsExactly(Q, OTHER, Q);
    assertThat(g.ids()).allSatisfy(id -> {
      assertThat(info(id).group()).isEqualTo(g.group());
      assertThat(info(id).status()).isEqualTo(TaskStatus.WAITING);
    });
    assertThat(tasks.waiting(Q)).isEqualTo(2);
    assertThat(tasks.waiting(OTHER)).isEqualTo(1);
  }

  @Test
  void insertGroup_givesEachGroupItsOwnId() {
    long g1 = groups.insert(List.of(task(Q).build()), GroupKind.BATCH).group();
    long g2 = groups.insert(List.of(task(Q).build()), GroupKind.CHAIN).group();

    assertThat(g1).isNotEqualTo(g2);
    assertThat(groups.status(g1)).map(BatchStatus::total).contains(1L);
    assertThat(groups.status(g2)).map(BatchStatus::total).contains(1L);
  }

  @Test
  void insertGroup_isAllOrNothingUnderCapacityAcrossQueues() {
    long existing = add(task(Q).capacity(2));

    assertThatThrownBy(() -> groups.insert(List.of(
        task(OTHER).capacity(5).build(), task(Q).capacity(2).build(),
        task(Q).capacity(2).build()), GroupKind.BATCH))
        .isInstanceOf(QueueFullException.class);

    assertThat(tasks.waiting(OTHER)).isZero();
    assertThat(tasks.waiting(Q)).isEqualTo(1);
    assertThat(allIds(TaskQuery.newest(100))).containsExactly(existing);
  }

  @Test
  void insertGroup_mayFillAQueueExactlyToCapacity() {
    add(task(Q).capacity(3));

    GroupInserted g = groups.insert(List.of(
        task(Q).capacity(3).build(), task(Q).capacity(3).build()), GroupKind.CHAIN);

    assertThat(g.ids()).hasSize(2);
    assertThat(tasks.waiting(Q)).isEqualTo(3);
  }

  @Test
  void insertGroup_isAllOrNothingWhenAGivenIdIsTaken() {
    long existing = add(task(Q).id(50));

    assertThatThrownBy(() -> groups.insert(List.of(
        task(Q).id(51).build(), task(Q).id(50).build()), GroupKind.BATCH))
        .isInstanceOf(InvalidTaskException.class);

    assertThat(tasks.find(51)).isEmpty();
    assertThat(tasks.waiting(Q)).isEqualTo(1);
    assertThat(allIds(TaskQuery.newest(100))).containsExactly(existing);
  }

  @Test
  void insertGroup_refusesKeys() {
    assertThatThrownBy(() -> groups.insert(List.of(
        task(Q).build(), task(Q).key("k").build()), GroupKind.BATCH))
        .isInstanceOf(InvalidTaskException.class);

    assertThat(tasks.waiting(Q)).isZero();
    assertThat(allIds(TaskQuery.newest(100))).isEmpty();
  }

  @Test
  void group_countsItsTasksByStatus() {
    List<Long> ids = batchInEveryState();
    long group = info(ids.get(0)).group();

    assertThat(groups.status(group))
        .contains(new BatchStatus(group, 5, 1, 1, 1, 1, 1));
  }

  @Test
  void group_isEmptyForAnUnknownGroup() {
    assertThat(groups.status(987_654)).isEmpty();
    assertThat(groups.live(987_654)).isEmpty();
  }

  @Test
  void liveInGroup_listsTheWaitingAndRunningTasks() {
    List<Long> ids = batchInEveryState();
    long group = info(ids.get(0)).group();

    assertThat(groups.live(group)).containsExactlyInAnyOrder(ids.get(2), ids.get(4));
  }

  /**
   * Reading pinned here: a group counts the tasks still stored; once purge or delete removed
   * them all, the group is unknown.
   */
  @Test
  void group_countsOnlyTasksStillStored() {
    GroupInserted g = groups.insert(List.of(task(Q).build(), task(Q).build()), GroupKind.BATCH);
    for (long id : g.ids()) {
      claim(Q);
      tasks.finish(id, 1, new Outcome.Succeeded("ok"), t(1));
    }

    assertThat(tasks.delete(g.ids().get(0))).isEqualTo(Deletion.DELETED);
    assertThat(groups.status(g.group())).contains(new BatchStatus(g.group(), 1, 0, 0, 1, 0, 0));

    assertThat(tasks.purge(Q, t(2), 10)).isEqualTo(1);
    assertThat(groups.status(g.group())).isEmpty();
  }

  @Test
  void batch_allItsTasksAreClaimable() {
    GroupInserted g = groups.insert(List.of(
        task(Q).build(), task(Q).build(), task(Q).build()), GroupKind.BATCH);

    assertThat(drain(Q)).containsExactlyElementsOf(g.ids());
    assertThat(g.ids()).allSatisfy(id -> assertThat(record(id).next()).isZero());
  }

  @Test
  void chain_linksEachStepToTheNext() {
    GroupInserted g = groups.insert(List.of(
        task(Q).build(), task(OTHER).build(), task(Q).build()), GroupKind.CHAIN);
    List<Long> ids = g.ids();

    assertThat(record(ids.get(0)).next()).isEqualTo(ids.get(1));
    assertThat(record(ids.get(1)).next()).isEqualTo(ids.get(2));
    assertThat(record(ids.get(2)).next()).isZero();
  }

  @Test
  void chain_onlyTheFirstStepIsClaimable() {
    GroupInserted g = groups.insert(List.of(
        task(Q).build(), task(Q).build(), task(Q).build()), GroupKind.CHAIN);

    assertThat(claim(Q).id()).isEqualTo(g.ids().get(0));
    clock.advance(Duration.ofDays(1));
    assertThat(claim(Q)).isNull();
    assertThat(info(g.ids().get(1)).status()).isEqualTo(TaskStatus.WAITING);
    assertThat(info(g.ids().get(2)).status()).isEqualTo(TaskStatus.WAITING);
  }

  @Test
  void release_makesTheNextStepDueNowWithThePreviousResult() {
    GroupInserted g = groups.insert(List.of(task(Q).build(), task(OTHER).build()), GroupKind.CHAIN);
    long first = g.ids().get(0);
    long second = g.ids().get(1);
    claim(Q);
    tasks.finish(first, 1, new Outcome.Succeeded(Map.of("sum", 3)), t(5));
    clock.advance(Duration.ofSeconds(5));

    groups.release(second, Map.of("sum", 3), t(5));

    assertThat(record(second).previousResult()).isEqualTo(Map.of("sum", 3));
    assertThat(tasks.nextDue(OTHER)).contains(t(5));
    TaskRecord claimed = claimed(tasks.claim(OTHER, NODE, t(5)));
    assertThat(claimed.id()).isEqualTo(second);
    assertThat(claimed.previousResult()).isEqualTo(Map.of("sum", 3));
    assertThat(claimed.info().attempt()).isEqualTo(1);
  }

  @Test
  void chain_aHeldStepCanBeCancelled() {
    GroupInserted g = groups.insert(List.of(
        task(Q).build(), task(Q).build(), task(Q).build()), GroupKind.CHAIN);
    long held = g.ids().get(1);

    CancelAnswer answer = tasks.requestCancel(held, "chain stopped", t(1));

    assertThat(answer).isInstanceOf(CancelAnswer.Cancelled.class);
    assertThat(recordOf(answer).info().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(info(held).cancelReason()).isEqualTo("chain stopped");
    assertThat(tasks.waiting(Q)).isEqualTo(2);
  }

  @Test
  void release_ofACancelledStepLeavesItCancelled() {
    GroupInserted g = groups.insert(List.of(task(Q).build(), task(Q).build()), GroupKind.CHAIN);
    long first = g.ids().get(0);
    long second = g.ids().get(1);
    claim(Q);
    tasks.requestCancel(second, "chain stopped", t(1));
    tasks.finish(first, 1, new Outcome.Succeeded("ok"), t(2));

    groups.release(second, "ok", t(2));

    assertThat(info(second).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(claim(Q)).isNull();
    assertThat(tasks.waiting(Q)).isZero();
  }

  // ---------------------------------------------------------------- list

  @Test
  void list_isNewestFirst() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(add(task(i % 2 == 0 ? Q : OTHER)));
    }

    Page<TaskRecord> page = tasks.list(TaskQuery.newest(10));

    assertThat(ids(page)).containsExactlyElementsOf(ids.reversed());
    assertThat(page.nextCursor()).isZero();
  }

  @Test
  void list_isEmptyForAnEmptyStore() {
    Page<TaskRecord> page = tasks.list(TaskQuery.newest(10));

    assertThat(page.items()).isEmpty();
    assertThat(page.nextCursor()).isZero();
  }

  @Test
  void list_filtersByQueue() {
    long a = add(task(Q));
    add(task(OTHER));
    long c = add(task(Q));

    assertThat(ids(tasks.list(TaskQuery.newest(10).inQueue(Q)))).containsExactly(c, a);
  }

  @Test
  void list_filtersByStatus() {
    long running = add(task(Q));
    long waiting = add(task(Q).runAt(t(60)));
    long cancelled = add(task(OTHER));
    long waiting2 = add(task(OTHER).runAt(t(60)));
    claim(Q);
    tasks.requestCancel(cancelled, "no", now());

    assertThat(ids(tasks.list(TaskQuery.newest(10).withStatus(TaskStatus.WAITING))))
        .containsExactly(waiting2, waiting);
    assertThat(ids(tasks.list(TaskQuery.newest(10).withStatus(TaskStatus.RUNNING))))
        .containsExactly(running);
    assertThat(ids(tasks.list(TaskQuery.newest(10).withStatus(TaskStatus.CANCELLED))))
        .containsExactly(cancelled);
    assertThat(ids(tasks.list(TaskQuery.newest(10).withStatus(TaskStatus.SUCCESS)))).isEmpty();
  }

  @Test
  void list_filtersByQueueAndStatus() {
    add(task(Q));
    long waitingQ = add(task(Q).runAt(t(60)));
    add(task(OTHER).runAt(t(60)));
    claim(Q);

    assertThat(ids(tasks.list(TaskQuery.newest(10).inQueue(Q).withStatus(TaskStatus.WAITING))))
        .containsExactly(waitingQ);
  }

  @Test
  void list_cursorShowsOnlyOlderTasks() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(add(task(Q)));
    }

    Page<TaskRecord> page = tasks.list(TaskQuery.newest(10).after(ids.get(3)));

    assertThat(ids(page)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
  }

  @Test
  void list_pagesCoverEveryTaskExactlyOnce() {
    List<Long> all = new ArrayList<>();
    List<Long> inQ = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      long id = add(task(i % 3 == 0 ? OTHER : Q));
      all.add(id);
      if (i % 3 != 0) {
        inQ.add(id);
      }
    }

    assertThat(allIds(TaskQuery.newest(5))).containsExactlyElementsOf(all.reversed());
    assertThat(allIds(TaskQuery.newest(4).inQueue(Q))).containsExactlyElementsOf(inQ.reversed());
  }

  @Test
  void list_lastPageHasNoCursorEvenWhenItIsFull() {
    for (int i = 0; i < 6; i++) {
      add(task(Q));
    }

    Page<TaskRecord> first = tasks.list(TaskQuery.newest(3));
    Page<TaskRecord> second = tasks.list(TaskQuery.newest(3).after(first.nextCursor()));

    assertThat(first.items()).hasSize(3);
    assertThat(first.nextCursor()).isNotZero();
    assertThat(second.items()).hasSize(3);
    assertThat(second.nextCursor()).isZero();
  }

  // ---------------------------------------------------------------- waiting

  @Test
  void waiting_countsTheQueuesWaitingTasksDueOrNotAndHeld() {
    add(task(Q));                   // due
    add(task(Q).runAt(t(3600)));    // not due
    long running = add(task(Q).priority(9));
    long done = add(task(Q).priority(8));
    long cancelled = add(task(Q));
    groups.insert(List.of(task(Q).priority(-1).build(), task(Q).build()), GroupKind.CHAIN); // 1 held
    add(task(OTHER));
    assertThat(claim(Q).id()).isEqualTo(running);
    assertThat(claim(Q).id()).isEqualTo(done);
    tasks.finish(done, 1, new Outcome.Succeeded("ok"), now());
    tasks.requestCancel(cancelled, "no", now());

    assertThat(tasks.waiting(Q)).isEqualTo(4);
    assertThat(tasks.waiting(OTHER)).isEqualTo(1);
    assertThat(tasks.waiting("no-such-queue")).isZero();
  }

  // ---------------------------------------------------------------- purge

  @Test
  void purge_removesTasksThatFinishedBeforeTheCutoff() {
    long a = finishedAt(Q, t(1));
    long b = finishedAt(Q, t(2));
    long c = finishedAt(Q, t(3));

    int removed = tasks.purge(Q, t(3), 100);

    assertThat(removed).isEqualTo(2);
    assertThat(tasks.find(a)).isEmpty();
    assertThat(tasks.find(b)).isEmpty();
    assertThat(tasks.find(c)).as("finished at the cutoff: not before it").isPresent();
    assertThat(allIds(TaskQuery.newest(100))).containsExactly(c);
  }

  @Test
  void purge_removesAtMostLimitPerCall() {
    for (int i = 1; i <= 5; i++) {
      finishedAt(Q, t(i));
    }

    assertThat(tasks.purge(Q, t(100), 2)).isEqualTo(2);
    assertThat(tasks.purge(Q, t(100), 2)).isEqualTo(2);
    assertThat(tasks.purge(Q, t(100), 2)).isEqualTo(1);
    assertThat(tasks.purge(Q, t(100), 2)).isZero();
    assertThat(allIds(TaskQuery.newest(100))).isEmpty();
  }

  @Test
  void purge_neverRemovesLiveTasks() {
    long waiting = add(task(Q).createdAt(t(-3600)));
    long running = add(task(Q).createdAt(t(-3600)).priority(9));
    long retrying = add(task(Q).createdAt(t(-3600)).priority(8));
    claim(Q);
    claim(Q);
    tasks.reschedule(retrying, 1, error(1, "boom"), t(60));

    assertThat(tasks.purge(Q, t(86_400), 100)).isZero();

    assertThat(tasks.find(waiting)).isPresent();
    assertThat(tasks.find(running)).isPresent();
    assertThat(tasks.find(retrying)).isPresent();
  }

  @Test
  void purge_touchesOnlyTheGivenQueue() {
    long mine = finishedAt(Q, t(1));
    long other = finishedAt(OTHER, t(1));

    assertThat(tasks.purge(Q, t(10), 100)).isEqualTo(1);

    assertThat(tasks.find(mine)).isEmpty();
    assertThat(tasks.find(other)).isPresent();
  }

  @Test
  void purge_removesTasksFinishedBeforeTheCutoffWhateverOrderTheyFinishedIn() {
    long late = finishedAt(Q, t(10));
    long early = add(task(Q));
    tasks.requestCancel(early, "no", t(1)); // recorded after 'late', but finished earlier

    assertThat(tasks.purge(Q, t(5), 100)).isEqualTo(1);

    assertThat(tasks.find(early)).isEmpty();
    assertThat(tasks.find(late)).isPresent();
  }

  // ---------------------------------------------------------------- delete

  @Test
  void delete_removesAFinishedTask() {
    long id = finishedAt(Q, t(1));

    assertThat(tasks.delete(id)).isEqualTo(Deletion.DELETED);

    assertThat(tasks.find(id)).isEmpty();
    assertThat(allIds(TaskQuery.newest(100))).isEmpty();
    assertThat(tasks.delete(id)).as("already gone").isEqualTo(Deletion.NOTHING_DELETED);
  }

  @Test
  void delete_refusesLiveTasks() {
    long running = add(task(Q).priority(1));
    long waiting = add(task(Q));
    claim(Q);

    assertThat(tasks.delete(waiting)).isEqualTo(Deletion.NOTHING_DELETED);
    assertThat(tasks.delete(running)).isEqualTo(Deletion.NOTHING_DELETED);

    assertThat(info(waiting).status()).isEqualTo(TaskStatus.WAITING);
    assertThat(info(running).status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void delete_ofAnUnknownTaskIsFalse() {
    assertThat(tasks.delete(777_777)).isEqualTo(Deletion.NOTHING_DELETED);
  }

  // ---------------------------------------------------------------- signals

  @Test
  void signals_everyCreatedTaskIsAnnouncedOnceAndAKeyedDuplicateIsNot() {
    long a = tasks.insert(task(Q).key("k").build()).id();
    tasks.insert(task(Q).key("k").build()); // the live key's task: nothing created
    List<Long> group = groups.insert(List.of(task(Q).build(), task(OTHER).build()), GroupKind.CHAIN)
        .ids();
    List<Long> expected = new ArrayList<>(List.of(a));
    expected.addAll(group);
    await().atMost(SIGNAL_WAIT)
        .untilAsserted(() -> assertThat(signals.added())
            .containsExactlyInAnyOrderElementsOf(expected));
  }

  @Test
  void signals_insertRaisesWorkAvailable() {
    add(task(Q));

    awaitWorkAvailable(Q);
  }

  @Test
  void signals_insertGroupRaisesWorkAvailableForItsQueues() {
    groups.insert(List.of(task(Q).build(), task(OTHER).build()), GroupKind.BATCH);

    awaitWorkAvailable(Q);
    awaitWorkAvailable(OTHER);
  }

  @Test
  void signals_insertOfAChainRaisesWorkAvailableForItsFirstStep() {
    groups.insert(List.of(task(OTHER).build(), task(Q).build()), GroupKind.CHAIN);

    awaitWorkAvailable(OTHER);
  }

  @Test
  void signals_retryRaisesWorkAvailable() {
    long id = add(task(Q));
    claim(Q);
    signals.clear();

    tasks.reschedule(id, 1, error(1, "boom"), t(30));

    awaitWorkAvailable(Q);
  }

  @Test
  void signals_requeueRaisesWorkAvailable() {
    long id = add(task(Q));
    claim(Q);
    signals.clear();

    tasks.reschedule(id, 1, null, now());

    awaitWorkAvailable(Q);
  }

  @Test
  void signals_releaseRaisesWorkAvailable() {
    GroupInserted g = groups.insert(List.of(task(Q).build(), task(OTHER).build()), GroupKind.CHAIN);
    claim(Q);
    tasks.finish(g.ids().get(0), 1, new Outcome.Succeeded("ok"), now());
    signals.clear();

    groups.release(g.ids().get(1), "ok", now());

    awaitWorkAvailable(OTHER);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrency_everyInsertedTaskIsClaimedExactlyOnce() throws InterruptedException {
    int inserters = 4;
    int perInserter = 150;
    int claimers = 3;
    int total = inserters * perInserter;
    Set<Long> inserted = ConcurrentHashMap.newKeySet();
    List<Long> claimed = new CopyOnWriteArrayList<>();
    AtomicInteger claimedCount = new AtomicInteger();
    long deadline = System.nanoTime() + THREAD_WAIT.toNanos();

    List<Runnable> bodies = new ArrayList<>();
    for (int i = 0; i < inserters; i++) {
      int n = i;
      bodies.add(() -> {
        for (int j = 0; j < perInserter; j++) {
          inserted.add(add(task(Q).args(n * perInserter + j).priority(j % 3)));
        }
      });
    }
    for (int i = 0; i < claimers; i++) {
      bodies.add(() -> {
        while (claimedCount.get() < total && System.nanoTime() < deadline) {
          TaskRecord rec = claim(Q);
          if (rec == null) {
            Thread.yield();
            continue;
          }
          claimed.add(rec.id());
          claimedCount.incrementAndGet();
        }
      });
    }
    inParallel(bodies);

    assertThat(inserted).hasSize(total);
    assertThat(claimed).doesNotHaveDuplicates();
    assertThat(claimed).containsExactlyInAnyOrderElementsOf(inserted);
    assertThat(tasks.waiting(Q)).isZero();
    assertThat(claim(Q)).isNull();
  }

  /** Claimers taking many at once, on threads of their own, never take one task twice. */
  @Test
  void concurrency_claimsOfManyTakeEveryTaskOnce() throws InterruptedException {
    int total = 300;
    List<Long> inserted = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      inserted.add(add(task(Q).args(i).priority(i % 3)));
    }
    List<Long> claimed = new CopyOnWriteArrayList<>();
    List<Runnable> bodies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int max = 3 + 2 * i;
      bodies.add(() -> {
        List<TaskRecord> got;
        while (!(got = tasks.claim(Q, NODE, now(), max)).isEmpty()) {
          assertThat(got.size()).isLessThanOrEqualTo(max);
          got.forEach(rec -> claimed.add(rec.id()));
        }
      });
    }
    inParallel(bodies);

    assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inserted);
    assertThat(tasks.waiting(Q)).isZero();
  }

  @Test
  void concurrency_insertsOfOneKeyCreateOneTask() throws InterruptedException {
    List<Inserted> answers = new CopyOnWriteArrayList<>();
    List<Runnable> bodies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      bodies.add(() -> {
        for (int j = 0; j < 20; j++) {
          answers.add(tasks.insert(task(Q).key("once").build()));
        }
      });
    }

    inParallel(bodies);

    assertThat(answers.stream().filter(Inserted.Created.class::isInstance)).hasSize(1);
    assertThat(answers.stream().map(Inserted::id).distinct()).hasSize(1);
    assertThat(tasks.waiting(Q)).isEqualTo(1);
  }

  @Test
  void concurrency_insertsNeverOverfillAQueue() throws InterruptedException {
    int capacity = 25;
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Runnable> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bodies.add(() -> {
        for (int j = 0; j < 10; j++) {
          try {
            tasks.insert(task(Q).capacity(capacity).build());
            accepted.incrementAndGet();
          } catch (QueueFullException e) {
            refused.incrementAndGet();
          }
        }
      });
    }

    inParallel(bodies);

    assertThat(accepted).hasValue(capacity);
    assertThat(refused).hasValue(60 - capacity);
    assertThat(tasks.waiting(Q)).isEqualTo(capacity);
  }

  @Test
  void concurrency_aTaskIsNeverBothCancelledWhileWaitingAndClaimed()
      throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(add(task(Q)));
    }
    Set<Long> claimed = ConcurrentHashMap.newKeySet();
    Set<Long> cancelledWaiting = ConcurrentHashMap.newKeySet();

    inParallel(List.of(
        () -> {
          TaskRecord rec;
          while ((rec = claim(Q)) != null) {
            claimed.add(rec.id());
          }
        },
        () -> {
          for (long id : ids.reversed()) {
            if (tasks.requestCancel(id, "race", now()) instanceof CancelAnswer.Cancelled) {
              cancelledWaiting.add(id);
            }
          }
        }));

    Set<Long> both = new HashSet<>(claimed);
    both.retainAll(cancelledWaiting);
    assertThat(both).as("claimed and cancelled while waiting").isEmpty();
    Set<Long> union = new HashSet<>(claimed);
    union.addAll(cancelledWaiting);
    assertThat(union).containsExactlyInAnyOrderElementsOf(ids);
    for (long id : claimed) {
      assertThat(record(id).info().status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(record(id).cancelRequested()).isTrue();
    }
    for (long id : cancelledWaiting) {
      assertThat(info(id).status()).isEqualTo(TaskStatus.CANCELLED);
    }
  }

  @Test
  void concurrency_racingFinishesOfOneAttemptHaveOneWinner() throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(add(task(Q)));
    }
    drain(Q);
    Map<Long, String> winners = new ConcurrentHashMap<>();
    AtomicInteger wins = new AtomicInteger();
    List<Runnable> bodies = new ArrayList<>();
    for (String who : List.of("a", "b", "c")) {
      bodies.add(() -> {
        for (long id : ids) {
          if (tasks.finish(id, 1, new Outcome.Succeeded(who), now()) instanceof Change.Changed) {
            winners.put(id, who);
            wins.incrementAndGet();
          }
        }
      });
    }

    inParallel(bodies);

    assertThat(wins).hasValue(ids.size());
    assertThat(winners).hasSize(ids.size());
    for (long id : ids) {
      assertThat(info(id).status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(info(id).response()).isEqualTo(winners.get(id));
    }
  }

  // ---------------------------------------------------------------- helpers

  /** {@link NewTasks#T0} plus {@code seconds}. */
  protected static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** The clock's now. */
  protected Instant now() {
    return clock.instant();
  }

  /** An error of attempt {@code attempt}, at the clock's now. */
  protected TaskError error(int attempt, String message) {
    return new TaskError(attempt, "java.io.IOException", message, now());
  }

  /** Inserts {@code task}, checks it was created, and returns its id. */
  protected long add(NewTasks.Builder task) {
    NewTask t = task.build();
    Inserted r = tasks.insert(t);
    assertThat(r).as("insert of %s created a task", t).isInstanceOf(Inserted.Created.class);
    return r.id();
  }

  /** The task with {@code id}; fails if there is none. */
  protected TaskRecord record(long id) {
    return tasks.find(id).orElseThrow(() -> new AssertionError("no task " + id));
  }

  /** What users see of the task with {@code id}; fails if there is none. */
  protected TaskInfo info(long id) {
    return record(id).info();
  }

  /** Claims from {@code queue} on {@link #NODE} at the clock's now. */
  protected TaskRecord claim(String queue) {
    return tasks.claim(queue, NODE, now()) instanceof Claim.Claimed(TaskRecord rec) ? rec : null;
  }

  /** The task of {@code claim}; fails if none was due. */
  protected static TaskRecord claimed(Claim claim) {
    return Answers.claimed(claim);
  }

  /** The task a cancel answer holds; fails if there was none. */
  protected static TaskRecord recordOf(CancelAnswer answer) {
    return switch (answer) {
      case CancelAnswer.NotFound n -> throw new AssertionError("the cancel found no task");
      case CancelAnswer.Cancelled c -> c.record();
      case CancelAnswer.StopRequested r -> r.record();
      case CancelAnswer.AlreadyFinished f -> f.record();
    };
  }

  /** The task after {@code change}; fails if it was fenced out. */
  protected static TaskRecord changed(Change change) {
    return Answers.changed(change);
  }

  /** Claims everything due in {@code queue} now; the ids in the order they were claimed. */
  protected List<Long> drain(String queue) {
    List<Long> ids = new ArrayList<>();
    TaskRecord rec;
    while ((rec = claim(queue)) != null) {
      ids.add(rec.id());
    }
    return ids;
  }

  /** Adds a task of {@code queue}, runs it and records it succeeded at {@code at}. */
  protected long finishedAt(String queue, Instant at) {
    long id = add(task(queue).priority(Integer.MAX_VALUE));
    TaskRecord rec = claim(queue);
    assertThat(rec.id()).isEqualTo(id);
    assertThat(tasks.finish(id, rec.info().attempt(), new Outcome.Succeeded("ok"), at))
        .isInstanceOf(Change.Changed.class);
    return id;
  }

  /** The ids of a page's tasks, in order. */
  protected static List<Long> ids(Page<TaskRecord> page) {
    return page.items().stream().map(TaskRecord::id).toList();
  }

  /** The ids of every page of {@code query}, following cursors; checks each page's size. */
  protected List<Long> allIds(TaskQuery query) {
    List<Long> ids = new ArrayList<>();
    TaskQuery q = query;
    for (int pages = 0; pages < 10_000; pages++) {
      Page<TaskRecord> page = tasks.list(q);
      assertThat(page.items().size()).isLessThanOrEqualTo(query.limit());
      ids.addAll(ids(page));
      if (page.nextCursor() == 0) {
        return ids;
      }
      assertThat(page.items()).as("a page with a next cursor is full").hasSize(query.limit());
      q = q.after(page.nextCursor());
    }
    throw new AssertionError("paging did not end");
  }

  /**
   * A batch of five tasks of {@link #Q}, in order: SUCCESS, FAILURE, RUNNING, CANCELLED,
   * WAITING.
   */
  private List<Long> batchInEveryState() {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(task(Q).build());
    }
    List<Long> ids = groups.insert(batch, GroupKind.BATCH).ids();
    assertThat(claim(Q).id()).isEqualTo(ids.get(0));
    tasks.finish(ids.get(0), 1, new Outcome.Succeeded("ok"), now());
    assertThat(claim(Q).id()).isEqualTo(ids.get(1));
    tasks.finish(ids.get(1), 1, new Outcome.Failed(error(1, "bad")), now());
    assertThat(claim(Q).id()).isEqualTo(ids.get(2));
    tasks.requestCancel(ids.get(3), "no", now());
    return ids;
  }

  private void awaitWorkAvailable(String queue) {
    await().atMost(SIGNAL_WAIT)
        .untilAsserted(() -> assertThat(signals.workAvailable()).contains(queue));
  }

  /** Runs each body on its own thread, all released at once; fails on an error or a hang. */
  private static void inParallel(List<Runnable> bodies) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Runnable body : bodies) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          body.run();
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "contract-" + threads.size());
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      assertThat(thread.join(THREAD_WAIT)).as("%s ended in time", thread.getName()).isTrue();
    }
    assertThat(failures).isEmpty();
  }
}
