package io.errand.spi.contract;

import io.errand.api.BatchStatus;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store's {@link Groups} as the contract suite calls them: the tasks a change names are read
 * again through {@link ObservedTasks}, which notes their status.
 */
final class ObservedGroups implements Groups {
  private final Groups groups;
  private final ObservedTasks tasks;

  ObservedGroups(Groups groups, ObservedTasks tasks) {
    this.groups = groups;
    this.tasks = tasks;
  }

  @Override
  public GroupInserted insert(List<NewTask> group, GroupKind kind) {
    GroupInserted inserted = groups.insert(group, kind);
    inserted.ids().forEach(tasks::look);
    return inserted;
  }

  @Override
  public void release(long id, Object previousResult, Instant now) {
    groups.release(id, previousResult, now);
    tasks.look(id);
  }

  @Override
  public Optional<BatchStatus> status(long group) {
    return groups.status(group);
  }

  @Override
  public List<Long> live(long group) {
    return groups.live(group);
  }

  @Override
  public List<Long> members(long group) {
    return groups.members(group);
  }

  @Override
  public java.util.Map<Long, Long> heldCallbacks() {
    return groups.heldCallbacks();
  }
}
