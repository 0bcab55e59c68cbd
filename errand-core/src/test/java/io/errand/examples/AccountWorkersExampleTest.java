package io.errand.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.KeyState;
import io.errand.api.RestartPolicy;
import io.errand.api.StopTimeouts;
import io.errand.api.Supervisor;
import io.errand.api.SupervisorSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Seed 001's case, as a user would write it: one long-lived worker per account, each holding a
 * connection and reacting to its messages. Config changes are applied with {@code put}, an
 * account is disabled with {@code pause}, a crashed worker restarts by itself. Copy from here.
 */
class AccountWorkersExampleTest {

  /** An account's settings: what its worker needs to connect. */
  record Account(String cookie, String keywords) {}

  /** Stands in for a websocket: messages arrive until it is closed. */
  static final class Connection implements AutoCloseable {
    final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    volatile boolean open = true;

    @Override
    public void close() {
      open = false;
      inbox.add("<closed>"); // wakes the reader
    }
  }

  final Map<String, Connection> connections = new ConcurrentHashMap<>();

  @Test
  void oneWorkerPerAccount() {
    SupervisorSpec<Account> workers = SupervisorSpec.builder("accounts", Account.class,
        (ctx) -> {
          try (Connection conn = new Connection()) {
            connections.put(ctx.key(), conn);
            ctx.onCancel(conn::close); // a stop closes the socket, which ends the read loop
            while (conn.open) {
              String message = conn.inbox.poll(1, TimeUnit.SECONDS);
              ctx.heartbeat();
              if ("<crash>".equals(message)) {
                throw new IllegalStateException("protocol error from the server");
              }
              if (message != null && conn.open) {
                ctx.progress(0, 0, "last message: " + message);
              }
            }
          }
        })
        .stopTimeouts(StopTimeouts.DEFAULTS) // 5 s polite, 10 s interrupted, 3 s last
        .restart(RestartPolicy.onFailure()
            .withBackoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMinutes(1), 0.2)))
        .heartbeatTimeout(Duration.ofSeconds(30))
        .build();

    try (Errand errand = Errand.builder().supervisor(workers).build()) {
      Supervisor accounts = errand.supervisor("accounts");

      // On start-up: one put per account (with a durable store, saved keys start by themselves).
      accounts.put("alice", new Account("cookie-a", "lamp"));
      accounts.put("bob", new Account("cookie-b", "desk"));
      await().until(() -> connections.containsKey("alice") && connections.containsKey("bob"));

      // A message reaches alice's worker.
      connections.get("alice").inbox.add("hello");
      await().until(() -> accounts.status("alice").orElseThrow().message()
          .equals("last message: hello"));

      // Bob's settings change: put stops his worker, then starts it with the new ones.
      Connection oldBob = connections.get("bob");
      accounts.put("bob", new Account("cookie-b2", "desk"));
      assertThat(oldBob.open).isFalse();

      // Bob is disabled for a while, then enabled again.
      accounts.pause("bob");
      assertThat(accounts.status("bob").orElseThrow().state()).isEqualTo(KeyState.PAUSED);
      accounts.resume("bob");

      // Alice's worker crashes; it is restarted after its backoff.
      Connection oldAlice = connections.get("alice");
      oldAlice.inbox.add("<crash>");
      await().until(() -> connections.get("alice") != oldAlice
          && accounts.status("alice").orElseThrow().state() == KeyState.RUNNING);
      assertThat(accounts.status("alice").orElseThrow().restarts()).isEqualTo(1);
      assertThat(accounts.status("alice").orElseThrow().lastError().message())
          .isEqualTo("protocol error from the server");

      // An account deleted for good.
      accounts.remove("bob");
      assertThat(accounts.list()).extracting(s -> s.key()).containsExactly("alice");
    } // closing Errand stops every worker within its stop time-outs
  }
}
