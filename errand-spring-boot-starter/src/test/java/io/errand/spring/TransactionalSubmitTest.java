package io.errand.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.StoreCannotJoinTransactionException;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.postgres.PostgresStore;
import io.errand.postgres.TestDatabase;
import io.errand.spi.TaskStore;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A submit through {@link ErrandTemplate} inside a {@code @Transactional} method, on the real
 * PostgreSQL: the task commits and rolls back with the method's own rows.
 */
class TransactionalSubmitTest {
  record Ship(long order) {}

  private final TestDatabase db = TestDatabase.get();
  private final String schema = db.freshSchema();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
          DataSourceTransactionManagerAutoConfiguration.class,
          JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
          ErrandAutoConfiguration.class))
      .withUserConfiguration(Shop.class)
      .withPropertyValues("spring.datasource.url=" + db.url(),
          "spring.datasource.hikari.connection-init-sql=SET search_path TO " + schema
              + ", public");
  private final ApplicationContextRunner onPostgres = runner.withPropertyValues(
      "errand.store.type=postgres", "errand.store.schema=" + schema);

  @AfterEach
  void dropSchema() {
    db.drop(schema);
  }

  @Configuration(proxyBeanMethods = false)
  static class Shop {
    static final QueueSpec<Ship, Void> SHIP = QueueSpec.builder("ship", Ship.class, Void.class,
        ctx -> null).build();

    @Bean
    QueueSpec<Ship, Void> ship() {
      return SHIP;
    }

    @Bean
    Orders orders(JdbcTemplate jdbc, ErrandTemplate errand) {
      return new Orders(jdbc, errand);
    }
  }

  /** The application's service: an order row and its shipping task in one transaction. */
  static class Orders {
    private final JdbcTemplate jdbc;
    private final ErrandTemplate errand;
    private final AtomicLong lastTask = new AtomicLong();
    private volatile Optional<?> seenBeforeCommit;

    Orders(JdbcTemplate jdbc, ErrandTemplate errand) {
      this.jdbc = jdbc;
      this.errand = errand;
    }

    @Transactional
    public long place(long order, boolean failAfterSubmit) {
      jdbc.update("INSERT INTO shop_orders (id) VALUES (?)", order);
      long task = errand.submit(errand.errand().queue(Shop.SHIP), new Ship(order));
      lastTask.set(task);
      seenBeforeCommit = errand.errand().get(task);
      if (failAfterSubmit) {
        throw new IllegalStateException("payment refused");
      }
      return task;
    }

    /** The id of the last task submitted (called on the transactional proxy, as a caller would). */
    public long lastTask() {
      return lastTask.get();
    }

    /** What the Errand, on connections of its own, read of that task before the commit. */
    public Optional<?> seenBeforeCommit() {
      return seenBeforeCommit;
    }
  }

  private void createOrdersTable(JdbcTemplate jdbc) {
    jdbc.execute("CREATE TABLE " + schema + ".shop_orders (id bigint PRIMARY KEY)");
  }

  @Test
  void theTaskCommitsWithTheRowsOfTheTransactionalMethodAndRunsOnlyThen() {
    onPostgres.run(context -> {
      assertThat(context.getBean(TaskStore.class)).isInstanceOf(PostgresStore.class);
      createOrdersTable(context.getBean(JdbcTemplate.class));
      Orders orders = context.getBean(Orders.class);
      Errand errand = context.getBean(Errand.class);

      long task = orders.place(7, false);

      assertThat(orders.seenBeforeCommit()).as("not visible before the commit")
          .isEmpty();
      assertThat(errand.await(task).get(60, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.SUCCESS);
      assertThat(context.getBean(JdbcTemplate.class).queryForObject(
          "SELECT count(*) FROM shop_orders", Long.class)).isEqualTo(1);
    });
  }

  @Test
  void aRolledBackTransactionTakesItsTaskWithIt() {
    onPostgres.run(context -> {
      createOrdersTable(context.getBean(JdbcTemplate.class));
      Orders orders = context.getBean(Orders.class);
      Errand errand = context.getBean(Errand.class);

      assertThatThrownBy(() -> orders.place(8, true)).hasMessage("payment refused");

      assertThat(orders.lastTask()).isPositive();
      assertThat(errand.get(orders.lastTask())).isEmpty();
      assertThat(errand.list(new TaskQuery("ship", null, 10, 0)).items()).isEmpty();
      assertThat(context.getBean(JdbcTemplate.class).queryForObject(
          "SELECT count(*) FROM shop_orders", Long.class)).isZero();
    });
  }

  @Test
  void outsideATransactionTheTemplateSubmitsAtOnce() {
    onPostgres.run(context -> {
      Errand errand = context.getBean(Errand.class);
      long task = context.getBean(ErrandTemplate.class).submit("ship", new Ship(9));
      assertThat(errand.await(task).get(60, TimeUnit.SECONDS).status())
      .isEqualTo(TaskStatus.SUCCESS);
    });
  }

  @Test
  void aStoreThatCannotJoinRefusesTheSubmitInsideATransaction() {
    runner.withPropertyValues("errand.store.type=memory").run(context -> {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      jdbc.execute("CREATE SCHEMA " + schema);
      createOrdersTable(jdbc);
      Orders orders = context.getBean(Orders.class);

      assertThatThrownBy(() -> orders.place(10, false))
          .isInstanceOf(StoreCannotJoinTransactionException.class)
          .hasMessageContaining("errand.store.type: postgres");
      assertThat(context.getBean(Errand.class).list(new TaskQuery("ship", null, 10, 0))
          .items()).isEmpty();
      assertThat(jdbc.queryForObject("SELECT count(*) FROM shop_orders", Long.class))
          .isZero();
    });
  }
}
