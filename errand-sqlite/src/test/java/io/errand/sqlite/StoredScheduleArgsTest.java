package io.errand.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.api.Schedule;
import io.errand.api.ScheduleSpec;
import io.errand.spi.StoredSchedule;
import io.errand.spi.contract.Point;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A schedule's fixed args read back as its queue's type, or as plain JSON when they no longer do. */
class StoredScheduleArgsTest {
  @TempDir
  Path dir;

  private final Stores stores = new Stores();

  @Test
  void argsReadAsTheQueuesTypeAndArgsThatNoLongerDoStillList() throws Exception {
    Path file = dir.resolve("errand.db");
    try (SqliteStore store = stores.open(file)) {
      store.schedules().orElseThrow().create(Schedule.builder("p", Stores.POINTS,
          ScheduleSpec.parse("@hourly")).args(new Point(1, 2)).build(), null);
      store.schedules().orElseThrow().create(Schedule.builder("q", Stores.POINTS,
          ScheduleSpec.parse("@daily")).args(new Point(3, 4)).build(), null);
      assertThat(store.schedules().orElseThrow().find("p").orElseThrow().schedule().fixedArgs())
          .contains(new Point(1, 2));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE schedules SET args = '\"north\"' WHERE name = 'q'");
    }
    try (SqliteStore store = stores.open(file)) {
      assertThat(store.schedules().orElseThrow().list()).extracting(StoredSchedule::name)
          .containsExactly("p", "q");
      assertThat(store.schedules().orElseThrow().find("q").orElseThrow().schedule().fixedArgs())
          .contains("north");
    }
  }
}
