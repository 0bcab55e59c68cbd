package io.errand.spring;

import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.Schedules;
import io.errand.api.SupervisorSpec;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures an {@link Errand} in a Spring Boot application: its store from
 * {@code errand.store.*} (or a {@link TaskStore} bean of the application's), its queues,
 * supervisors and schedules from every {@link QueueSpec}, {@link SupervisorSpec} and
 * {@link Schedule} bean, then every {@link ErrandBuilderCustomizer}; an {@link ErrandLifecycle}
 * that drains it when the context stops; and, with {@code spring-jdbc}, an
 * {@link ErrandTemplate} whose submits join the Spring transaction. Each bean backs off when the
 * application declares its own.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(ErrandProperties.class)
public class ErrandAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ErrandAutoConfiguration.class);

  /** Made by Spring. */
  public ErrandAutoConfiguration() {}

  /**
   * The store {@code errand.store.type} names. The Errand closes it at its shutdown, so the
   * context does not.
   *
   * @param properties the {@code errand.*} settings
   * @param dataSource the application's {@code DataSource}, for {@code postgres}
   * @return the store, not yet opened
   * @throws IllegalStateException if the chosen store's module or the DataSource is missing
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public TaskStore errandStore(ErrandProperties properties,
      ObjectProvider<DataSource> dataSource) {
    ErrandProperties.Store store = properties.store();
    return switch (store.type()) {
      case "sqlite" -> {
        requireModule("io.errand.sqlite.SqliteStore", "sqlite", "errand-sqlite");
        yield SqliteStores.create(store);
      }
      case "postgres" -> {
        requireModule("io.errand.postgres.PostgresStore", "postgres", "errand-postgres");
        DataSource ds = dataSource.getIfUnique();
        if (ds == null) {
          throw new IllegalStateException("errand.store.type is postgres, which keeps the tasks"
              + " in the application's DataSource, but there is no single DataSource bean: set"
              + " spring.datasource.url (jdbc:postgresql:...) or declare one");
        }
        yield PostgresStores.create(store, ds);
      }
      default -> {
        log.info("Errand keeps its tasks in memory: they are lost when the application stops"
            + " (errand.store.type: sqlite or postgres keeps them)");
        yield new MemoryStore();
      }
    };
  }

  /**
   * The application's Errand, running from here on: workers start as it is built, and the
   * schedule beans are created in its store (or updated, when the store already has them).
   *
   * @param properties   the {@code errand.*} settings
   * @param store        the store
   * @param queues       the queue beans
   * @param supervisors  the supervisor beans
   * @param schedules    the schedule beans
   * @param customizers  the builder customizers
   * @return the running Errand; the context closes it (a graceful drain) if the lifecycle has not
   * @throws io.errand.api.InvalidSpecException naming a setting or bean that is not allowed
   */
  @Bean
  @ConditionalOnMissingBean
  public Errand errand(ErrandProperties properties, TaskStore store,
      ObjectProvider<QueueSpec<?, ?>> queues, ObjectProvider<SupervisorSpec<?>> supervisors,
      ObjectProvider<Schedule> schedules, ObjectProvider<ErrandBuilderCustomizer> customizers) {
    Errand.Builder builder = Errand.builder()
        .store(store)
        .shutdownGrace(properties.shutdownGrace())
        .eventBuffer(properties.eventBuffer());
    if (properties.node() != null) {
      builder.node(properties.node());
    }
    queues.orderedStream().forEach(builder::queue);
    supervisors.orderedStream().forEach(builder::supervisor);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    Errand errand = builder.buildUnstarted(); // ErrandLifecycle starts it
    try {
      schedules.orderedStream().forEach(s -> createOrUpdate(errand.schedules(), s));
    } catch (RuntimeException e) {
      errand.shutdown(Duration.ZERO);
      throw e;
    }
    return errand;
  }

  private static void createOrUpdate(Schedules schedules, Schedule schedule) {
    if (schedules.get(schedule.name()).isPresent()) {
      schedules.update(schedule);
    } else {
      schedules.create(schedule);
    }
  }

  /**
   * Starts the Errand with the context and drains it when the context stops, within
   * {@code spring.lifecycle.timeout-per-shutdown-phase} (default 30 s).
   *
   * @param errand      the application's Errand
   * @param properties  for {@code errand.shutdown-grace}
   * @param environment for {@code spring.lifecycle.timeout-per-shutdown-phase}
   * @param queues      the queue beans, whose cancel grace the drain may need after the grace
   * @return the lifecycle
   */
  @Bean
  @ConditionalOnMissingBean
  public ErrandLifecycle errandLifecycle(Errand errand, ErrandProperties properties,
      Environment environment, ObjectProvider<QueueSpec<?, ?>> queues) {
    Duration phase = Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class)
        .orElse(DEFAULT_PHASE_TIMEOUT);
    // After the grace the drain cancels what is left and waits up to the longest cancel grace,
    // then a few bounded steps (the workers' exit, the last events): kept out of the grace.
    Duration cancelling = queues.orderedStream().map(QueueSpec::cancelGrace)
        .max(Duration::compareTo).orElse(Duration.ZERO).plus(DRAIN_STEPS);
    return new ErrandLifecycle(errand, properties.shutdownGrace(), phase.minus(cancelling));
  }

  /** Spring Boot's time-out of each phase of the context's stop. */
  static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";
  /** Spring's own default for {@link #PHASE_TIMEOUT}. */
  static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);
  /** What the drain takes after the grace besides the cancel grace, at the most. */
  static final Duration DRAIN_STEPS = Duration.ofSeconds(3);

  private static void requireModule(String className, String type, String artifact) {
    if (!ClassUtils.isPresent(className, ErrandAutoConfiguration.class.getClassLoader())) {
      throw new IllegalStateException("errand.store.type is " + type + ", but io.errand:"
          + artifact + " is not on the class path: add it as a dependency");
    }
  }

  /** The {@link ErrandTemplate}, where {@code spring-jdbc} is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.jdbc.datasource.DataSourceUtils")
  static class TemplateConfiguration {
    /**
     * A template that joins transactions on the application's DataSource when the store was
     * built on it ({@code errand.store.type: postgres}).
     */
    @Bean
    @ConditionalOnMissingBean
    ErrandTemplate errandTemplate(Errand errand, ErrandProperties properties,
        ObjectProvider<DataSource> dataSource) {
      boolean onDataSource = "postgres".equals(properties.store().type());
      return new ErrandTemplate(errand, onDataSource ? dataSource.getIfUnique() : null);
    }
  }
}
