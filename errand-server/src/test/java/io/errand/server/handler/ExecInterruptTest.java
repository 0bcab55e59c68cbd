package io.errand.server.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.TaskContext;
import io.errand.api.TaskHandler;
import io.errand.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The ways other than a cancel by which an exec attempt is told to stop. */
class ExecInterruptTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void anInterruptedWorkerEndsTheTreeAndThrows() throws Exception {
    // An Errand always runs onCancel before it interrupts; this context never does, so only
    // the interrupt tells the handler to stop.
    String tag = "errand-interrupt-" + UUID.randomUUID();
    TaskHandler<Object, Object> handler = new ExecHandlerFactory().create(Handlers.settings(
        Map.of("command", List.of("sh", "-c", "sleep 300 & wait", "{tag}"))));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread worker = Thread.ofPlatform().start(() -> {
      try {
        handler.run(new BareContext(Map.of("tag", tag)));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    List<ProcessHandle> tree = awaitTree(tag, 2);

    worker.interrupt();

    worker.join(PATIENCE);
    assertThat(worker.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class)
        .hasMessage("the worker thread was interrupted; 'sh' and its processes were stopped");
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void shutdownEndsTheTreeOfARunningTask() throws Exception {
    String tag = "errand-shutdown-" + UUID.randomUUID();
    Errand errand = Handlers.errand(new ExecHandlerFactory(), Map.of("command",
        List.of("sh", "-c", "sleep 300 & wait", "{tag}")), UnaryOperator.identity());
    long id = errand.submit(Handlers.QUEUE, Map.of("tag", tag));
    List<ProcessHandle> tree = awaitTree(tag, 2);

    errand.shutdown(Duration.ofMillis(200));

    assertThat(errand.get(id)).map(t -> t.status()).contains(TaskStatus.CANCELLED);
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  /**
   * The processes of the task whose program got {@code tag} as an argument, once there are
   * {@code size} of them.
   */
  static List<ProcessHandle> awaitTree(String tag, int size) {
    List<ProcessHandle> tree = new ArrayList<>();
    await().atMost(PATIENCE).until(() -> {
      tree.clear();
      ProcessHandle.current().descendants()
          .filter(h -> h.info().arguments().map(a -> Arrays.asList(a).contains(tag))
              .orElse(false))
          .findFirst()
          .ifPresent(r -> {
            tree.add(r);
            r.descendants().forEach(tree::add);
          });
      return tree.size() >= size;
    });
    return List.copyOf(tree);
  }

  /** A context that only carries args: no stop ever arrives through it. */
  private record BareContext(Object args) implements TaskContext<Object> {
    @Override
    public long id() {
      return 1;
    }

    @Override
    public String queue() {
      return Handlers.QUEUE;
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.empty();
    }

    @Override
    public void progress(long current, long total, String message) {}

    @Override
    public void checkpoint() {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean shuttingDown() {
      return false;
    }

    @Override
    public void onCancel(Runnable callback) {}

    @Override
    public Optional<Object> previousResult() {
      return Optional.empty();
    }
  }
}
