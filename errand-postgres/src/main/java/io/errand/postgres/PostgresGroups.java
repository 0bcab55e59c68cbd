package io.errand.postgres;

import io.errand.api.BatchStatus;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The PostgreSQL store's batches and chains. */
final class PostgresGroups implements Groups {
  private final Supplier<Opened> opened;

  PostgresGroups(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public GroupInserted insert(List<NewTask> tasks, GroupKind kind) {
    return opened.get().insertGroup(tasks, kind);
  }

  /** Inserts a group in the caller's transaction on {@code connection}, through a savepoint. */
  @Override
  public GroupInserted insert(Connection connection, List<NewTask> tasks, GroupKind kind) {
    return opened.get().insertGroup(connection, tasks, kind);
  }

  @Override
  public void release(long id, Object previousResult, Instant now) {
    opened.get().release(id, previousResult, now);
  }

  @Override
  public Optional<BatchStatus> status(long group) {
    Opened o = opened.get();
    return group <= 0 ? Optional.empty()
        : Optional.ofNullable(o.db.autocommit(tx -> o.reads.group(tx, group)));
  }

  @Override
  public List<Long> live(long group) {
    Opened o = opened.get();
    return group <= 0 ? List.of() : o.db.autocommit(tx -> o.reads.liveInGroup(tx, group));
  }

  @Override
  public List<Long> members(long group) {
    Opened o = opened.get();
    return group <= 0 ? List.of() : o.db.autocommit(tx -> o.reads.inGroup(tx, group));
  }

  @Override
  public java.util.Map<Long, Long> heldCallbacks() {
    Opened o = opened.get();
    return o.db.autocommit(o.reads::heldCallbacks);
  }
}
