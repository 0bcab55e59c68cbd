package io.errand.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.InvalidTaskException;
import io.errand.spi.NewTask;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The memory store's index: numbered ids in chunks that are dropped once retention removed
 * their tasks (memory stays flat), given ids beside them, and one id never naming two tasks,
 * even when a numbered and a given insert race for it.
 */
class TaskIndexTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static NewTask task(long id) {
    return new NewTask("q", id, null, T0, T0, 0, null, Integer.MAX_VALUE);
  }

  @Test
  void numberedIdsAreDenseAndFoundById() {
    TaskIndex index = new TaskIndex();
    Rec a = index.add(task(0));
    Rec b = index.add(task(0));
    assertThat(a.id).isEqualTo(1);
    assertThat(b.id).isEqualTo(2);
    assertThat(index.get(1)).isSameAs(a);
    assertThat(index.get(2)).isSameAs(b);
    assertThat(index.get(3)).isNull();
    assertThat(index.get(1L << 40)).isNull();
    assertThat(index.remove(a)).isTrue();
    assertThat(index.remove(a)).isFalse();
    assertThat(index.get(1)).isNull();
    assertThat(index.holds(b)).isTrue();
  }

  @Test
  void chunksWhoseTasksWereRemovedAreDroppedSoMemoryStaysFlat() {
    TaskIndex index = new TaskIndex();
    ArrayDeque<Rec> live = new ArrayDeque<>();
    int window = 3 * DenseSlots.SIZE;
    for (int i = 0; i < 40 * DenseSlots.SIZE; i++) {
      live.add(index.add(task(0)));
      if (i % 1000 == 0) {
        index.nextNumber(); // a group's number holds no task and must not pin its chunk
      }
      if (live.size() > window) {
        assertThat(index.remove(live.pollFirst())).isTrue(); // retention, oldest first
      }
      assertThat(index.numberedChunks()).isLessThanOrEqualTo(5);
    }
    for (Rec r : live) {
      assertThat(index.get(r.id)).isSameAs(r);
    }
    live.forEach(index::remove);
    // Only the chunk whose later ids are not handed out yet is left.
    assertThat(index.numberedChunks()).isOne();
    Rec next = index.add(task(0));
    assertThat(index.get(next.id)).isSameAs(next);
  }

  @Test
  void aTaskKeptForLongDoesNotStretchTheDirectoryAcrossEveryIdSince() {
    DenseSlots slots = new DenseSlots();
    Rec pinned = new Rec(1, "q", null, T0, T0, 0, null); // kept (delayed far, say)
    slots.put(pinned);
    long chunks = 300;
    for (long id = 2; id < chunks * DenseSlots.SIZE + DenseSlots.SIZE / 2; id++) {
      Rec r = new Rec(id, "q", null, T0, T0, 0, null);
      slots.put(r);
      assertThat(slots.remove(r)).isTrue(); // retention keeps up
    }
    assertThat(slots.get(1)).isSameAs(pinned);
    assertThat(slots.chunks()).isEqualTo(2); // the pinned one and the one still being numbered
    assertThat(slots.directorySize()).isLessThan(200); // not the 300 chunks it spans
    assertThat(slots.remove(pinned)).isTrue();
    assertThat(slots.chunks()).isEqualTo(1);
  }

  @Test
  void numberingSkipsGivenIdsAndAGivenIdThatIsTakenIsRefused() {
    TaskIndex index = new TaskIndex();
    Rec given = index.add(task(2));
    assertThat(index.add(task(0)).id).isEqualTo(1);
    assertThat(index.add(task(0)).id).isEqualTo(3); // 2 was given
    assertThat(index.get(2)).isSameAs(given);
    assertThatThrownBy(() -> index.add(task(3))).isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("task id 3 is already used");
    assertThatThrownBy(() -> index.add(task(2))).isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("task id 2 is already used");
    assertThat(index.remove(given)).isTrue();
    assertThat(index.get(2)).isNull();
  }

  @Test
  void racingNumberedAndGivenInsertsNeverShareAnId() throws Exception {
    TaskIndex index = new TaskIndex();
    int perThread = 20_000;
    Map<Long, Rec> accepted = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      boolean numbering = t % 2 == 0;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 1; i <= perThread; i++) {
          Rec r;
          try {
            r = index.add(task(numbering ? 0 : i * 2L)); // given ids inside the numbered range
          } catch (InvalidTaskException taken) {
            continue;
          }
          if (accepted.putIfAbsent(r.id, r) != null) {
            duplicates.incrementAndGet();
          }
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(2 * perThread);
    accepted.forEach((id, r) -> assertThat(index.get(id)).isSameAs(r));
  }
}
