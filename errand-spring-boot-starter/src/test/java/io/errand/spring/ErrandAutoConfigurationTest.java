package io.errand.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.errand.api.Errand;
import io.errand.api.EventType;
import io.errand.api.QueueSpec;
import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.api.ShuttingDownException;
import io.errand.api.SupervisorSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskStatus;
import io.errand.memory.MemoryStore;
import io.errand.spi.TaskStore;
import io.errand.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ErrandAutoConfigurationTest {
  record Greeting(String name) {}

  static final QueueSpec<Greeting, String> GREET = QueueSpec.builder("greet", Greeting.class,
      String.class, ctx -> "hello " + ctx.args().name()).build();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ErrandAutoConfiguration.class))
      .withUserConfiguration(Queues.class);

  @Configuration(proxyBeanMethods = false)
  static class Queues {
    @Bean
    QueueSpec<Greeting, String> greet() {
      return GREET;
    }

    @Bean
    SupervisorSpec<String> watchers() {
      return SupervisorSpec.builder("watchers", String.class, ctx -> { }).build();
    }

    @Bean
    Schedule nightly() {
      return Schedule.builder("nightly", "greet", ScheduleSpec.parse("0 2 * * *"))
          .args(new Greeting("night")).build();
    }
  }

  @Test
  void buildsAnErrandFromTheQueueSupervisorAndScheduleBeansOnTheMemoryStoreByDefault() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(Errand.class).hasSingleBean(ErrandLifecycle.class)
          .hasSingleBean(ErrandTemplate.class);
      assertThat(context.getBean(TaskStore.class)).isInstanceOf(MemoryStore.class);
      Errand errand = context.getBean(Errand.class);
      assertThat(errand.queues()).containsExactly("greet");
      assertThat(errand.supervisors()).containsExactly("watchers");
      assertThat(errand.schedules().get("nightly")).isPresent();

      long id = errand.submit("greet", new Greeting("ada"));
      TaskInfo done = errand.await(id).get(30, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(errand.queue(GREET).get(id).orElseThrow().result()).isEqualTo("hello ada");
    });
  }

  @Test
  void keepsTasksAndUpdatesScheduleBeansAcrossRestartsOnTheSqliteFileOfThePathProperty(
      @TempDir Path dir) {
    ApplicationContextRunner sqlite = runner.withPropertyValues("errand.store.type=sqlite",
        "errand.store.path=" + dir.resolve("tasks.db"));
    long[] id = new long[1];
    sqlite.run(context -> {
      assertThat(context.getBean(TaskStore.class)).isInstanceOf(SqliteStore.class);
      Errand errand = context.getBean(Errand.class);
      id[0] = errand.submit("greet", new Greeting("grace"));
      assertThat(errand.await(id[0]).get(30, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.SUCCESS);
    });
    sqlite.run(context -> {
      assertThat(context).hasNotFailed();
      Errand errand = context.getBean(Errand.class);
      assertThat(errand.get(id[0]).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(errand.schedules().list()).extracting(s -> s.name()).containsExactly("nightly");
    });
  }

  @Test
  void appliesEveryBuilderCustomizer() {
    List<EventType> seen = new CopyOnWriteArrayList<>();
    runner.withBean(ErrandBuilderCustomizer.class,
            () -> b -> b.listener("seen", e -> seen.add(e.type())))
        .run(context -> {
          Errand errand = context.getBean(Errand.class);
          errand.await(errand.submit("greet", new Greeting("bob"))).get(30, TimeUnit.SECONDS);
          await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains(EventType.SUCCEEDED));
        });
  }

  @Test
  void drainsRunningTasksWhenTheContextStops() {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runner.withPropertyValues("errand.shutdown-grace=60s")
        .withBean("slow", QueueSpec.class, () -> QueueSpec.builder("slow", String.class,
            String.class, ctx -> {
              started.countDown();
              release.await();
              return "finished";
            }).build())
        .run(context -> {
          Errand errand = context.getBean(Errand.class);
          long id = errand.submit("slow", "x");
          assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

          Thread closer = new Thread(context::close, "context-close");
          closer.start();
          await().atMost(Duration.ofSeconds(30)).until(errand::isShuttingDown);
          assertThatThrownBy(() -> errand.submit("greet", new Greeting("late")))
              .isInstanceOf(ShuttingDownException.class);
          assertThat(closer.isAlive()).as("the close waits for the running task").isTrue();

          release.countDown();
          closer.join(Duration.ofSeconds(60));
          assertThat(closer.isAlive()).isFalse();
          assertThat(errand.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
        });
  }

  @Test
  void refusesAStoreTypeItDoesNotKnowNamingTheSettingAndTheAllowedValues() {
    runner.withPropertyValues("errand.store.type=mysql").run(context ->
        assertThat(context).getFailure().rootCause().hasMessage("errand.store.type must be one"
            + " of [memory, sqlite, postgres], was 'mysql'"));
  }

  @Test
  void refusesTheSqliteStoreWithoutItsPath() {
    runner.withPropertyValues("errand.store.type=sqlite").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining(
            "errand.store.path must name the SQLite file"));
  }

  @Test
  void refusesAStoreSettingOfAnotherStoreType() {
    runner.withPropertyValues("errand.store.schema=jobs").run(context ->
        assertThat(context).getFailure().rootCause().hasMessage("errand.store.schema applies to"
            + " errand.store.type postgres only, and the type is 'memory'"));
  }

  @Test
  void refusesThePostgresStoreWithoutADataSource() {
    runner.withPropertyValues("errand.store.type=postgres").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining(
            "errand.store.type is postgres").hasMessageContaining("no single DataSource bean"));
  }

  @Test
  void refusesANegativeShutdownGrace() {
    runner.withPropertyValues("errand.shutdown-grace=-1s").run(context ->
        assertThat(context).getFailure().rootCause().hasMessage("errand.shutdown-grace must be"
            + " a duration >= 0 (such as 30s), was PT-1S"));
  }

  @Test
  void backsOffForTheApplicationsOwnStoreAndErrand() {
    MemoryStore own = new MemoryStore();
    runner.withBean(TaskStore.class, () -> own).run(context ->
        assertThat(context.getBean(TaskStore.class)).isSameAs(own));
    Errand errand = Errand.builder().build();
    try {
      runner.withBean(Errand.class, () -> errand).run(context ->
          assertThat(context.getBean(Errand.class)).isSameAs(errand));
    } finally {
      errand.shutdown(Duration.ZERO);
    }
  }
}
