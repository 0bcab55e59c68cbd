package io.errand.sqlite;

import io.errand.api.BatchStatus;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The SQLite store's batches and chains. */
final class SqliteGroups implements Groups {
  private final Supplier<Opened> opened;

  SqliteGroups(Supplier<Opened> opened) {
    this.opened = opened;
  }

  @Override
  public GroupInserted insert(List<NewTask> tasks, GroupKind kind) {
    Opened o = opened.get();
    List<String> args = o.payloads.groupArgs(tasks);
    long[] ids = o.writer.callAtomic(tx -> o.writes.insertGroup(tx, tasks, args, kind));
    return new GroupInserted(ids[0], Writes.tail(ids));
  }

  @Override
  public void release(long id, Object previousResult, Instant now) {
    Opened o = opened.get();
    String previous = o.payloads.previousResult(id, previousResult);
    long at = Row.micros(now);
    o.writer.call(tx -> {
      o.writes.release(tx, id, previous, at);
      return null;
    });
  }

  @Override
  public Optional<BatchStatus> status(long group) {
    return group <= 0 ? Optional.empty() : Optional.ofNullable(opened.get().reads.group(group));
  }

  @Override
  public List<Long> live(long group) {
    return group <= 0 ? List.of() : opened.get().reads.liveInGroup(group);
  }

  @Override
  public List<Long> members(long group) {
    return group <= 0 ? List.of() : opened.get().reads.inGroup(group);
  }

  @Override
  public java.util.Map<Long, Long> heldCallbacks() {
    return opened.get().reads.heldCallbacks();
  }
}
