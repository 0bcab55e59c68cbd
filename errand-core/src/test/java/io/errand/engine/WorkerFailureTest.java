package io.errand.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskStatus;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import io.errand.spi.Tasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A worker that fails outside a handler: a store exception costs one worker, which is
 * replaced; an {@link Error} ends the worker for good, and the others go on.
 */
class WorkerFailureTest {
  @Test
  void aWorkerThatDiesOfAnErrorIsNotReplacedAndTheOtherWorkerGoesOn() throws Exception {
    AtomicReference<Throwable> nextClaimThrows = new AtomicReference<>(new AssertionError("injected"));
    Errand errand = Errand.builder().store(throwingOnClaim(nextClaimThrows))
        .queue(QueueSpec.builder("q", Object.class, ctx -> "done").workers(2).build())
        .build();
    QueueRunner runner = ((Engine) errand).runners().iterator().next();
    try {
      await().until(() -> nextClaimThrows.get() == null && runner.liveWorkers() == 1);

      long id = errand.submit("q", null);

      assertThat(errand.await(id).get(30, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.SUCCESS);
      assertThat(runner.liveWorkers()).isEqualTo(1);
    } finally {
      errand.close();
    }
  }

  @Test
  void aWorkerWhoseStoreCallThrowsIsReplaced() throws Exception {
    AtomicReference<Throwable> nextClaimThrows =
        new AtomicReference<>(new IllegalStateException("injected"));
    Errand errand = Errand.builder().store(throwingOnClaim(nextClaimThrows))
        .queue(QueueSpec.builder("q", Object.class, ctx -> "done").workers(2).build())
        .build();
    QueueRunner runner = ((Engine) errand).runners().iterator().next();
    try {
      await().until(() -> nextClaimThrows.get() == null);
      await().until(() -> runner.liveWorkers() == 2);

      long first = errand.submit("q", null);
      long second = errand.submit("q", null);

      assertThat(errand.await(first).get(30, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.SUCCESS);
      assertThat(errand.await(second).get(30, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.SUCCESS);
    } finally {
      errand.close();
    }
  }

  /** A memory store whose next claim throws what {@code next} holds, once, claiming nothing. */
  private static TaskStore throwingOnClaim(AtomicReference<Throwable> next) {
    MemoryStore store = new MemoryStore();
    Tasks tasks = (Tasks) Proxy.newProxyInstance(Tasks.class.getClassLoader(),
        new Class<?>[] {Tasks.class}, (proxy, method, args) -> {
          if (method.getName().equals("claim")) {
            Throwable t = next.getAndSet(null);
            if (t != null) {
              throw t;
            }
          }
          return call(store.tasks(), method, args);
        });
    return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
        new Class<?>[] {TaskStore.class}, (proxy, method, args) ->
            method.getName().equals("tasks") ? tasks : call(store, method, args));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
