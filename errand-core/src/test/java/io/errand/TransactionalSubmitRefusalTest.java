package io.errand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.StoreCannotJoinTransactionException;
import io.errand.api.SubmitOptions;
import io.errand.api.TaskQuery;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot join a caller's JDBC transaction (the memory store) refuses a
 * transactional submit with its own exception, adds nothing, and never touches the connection.
 */
class TransactionalSubmitRefusalTest {
  private final AtomicInteger touched = new AtomicInteger();
  private final Connection connection = (Connection) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
        touched.incrementAndGet();
        throw new AssertionError("the connection was used: " + method.getName());
      });

  @Test
  void theMemoryStoreRefusesToJoinACallersTransaction() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("q", String.class, ctx -> "ran").build())
        .build()) {
      assertThatThrownBy(() -> errand.submit(connection, "q", "a", SubmitOptions.DEFAULTS))
          .isInstanceOf(StoreCannotJoinTransactionException.class)
          .hasMessageContaining("cannot add tasks inside the caller's JDBC transaction")
          .satisfies(e -> assertThat(((StoreCannotJoinTransactionException) e).code())
              .isEqualTo("transaction_not_joinable"));
      assertThatThrownBy(() -> errand.submitBatch(connection, "q", List.of("a", "b")))
          .isInstanceOf(StoreCannotJoinTransactionException.class);

      assertThat(errand.list(TaskQuery.newest(10)).items()).isEmpty();
      assertThat(touched).hasValue(0);
    }
  }
}
