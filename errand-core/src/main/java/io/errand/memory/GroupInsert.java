package io.errand.memory;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.spi.GroupInserted;
import io.errand.spi.GroupKind;
import io.errand.spi.Groups;
import io.errand.spi.NewTask;
import io.errand.spi.StoreSignals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Inserts a batch or a chain all or nothing: it takes the locks of every queue the group
 * touches (in name order, so two inserters never deadlock), checks each queue's capacity for
 * its share, and only then adds the tasks; a taken id removes those already added.
 */
final class GroupInsert {
  private final TaskIndex index;
  private final ConcurrentHashMap<String, Lane> lanes;
  private final GroupIndex groups;
  private final Function<String, Lane> newLane;

  GroupInsert(TaskIndex index, ConcurrentHashMap<String, Lane> lanes, GroupIndex groups,
      Function<String, Lane> newLane) {
    this.index = index;
    this.lanes = lanes;
    this.groups = groups;
    this.newLane = newLane;
  }

  GroupInserted insert(List<NewTask> batch, GroupKind kind, StoreSignals signals) {
    Groups.requireNoKeys(batch);
    boolean chained = kind == GroupKind.CHAIN;
    Map<String, Integer> perQueue = new TreeMap<>();
    for (NewTask t : batch) {
      perQueue.merge(t.queue(), 1, Integer::sum);
    }
    List<Lane> locked = new ArrayList<>();
    Rec[] recs = new Rec[batch.size()];
    // Key values of queues with flow limits, read before the locks: it may write JSON.
    Flow[] flows = new Flow[batch.size()];
    String[] flowKeys = new String[batch.size()];
    for (int i = 0; i < flowKeys.length; i++) {
      Lane lane = lanes.get(batch.get(i).queue());
      flows[i] = lane == null ? null : lane.flow;
      if (flows[i] != null) {
        flowKeys[i] = flows[i].keyOf(batch.get(i).key(), batch.get(i).args());
      }
    }
    long group = index.nextNumber();
    try {
      for (String q : perQueue.keySet()) { // sorted: no two inserters deadlock
        Lane lane = lanes.computeIfAbsent(q, newLane);
        lane.lock.lock();
        locked.add(lane);
      }
      for (NewTask t : batch) {
        Lane lane = lanes.get(t.queue());
        if (lane.waiting + perQueue.get(t.queue()) > t.capacity()) {
          throw new QueueFullException(t.queue(), t.capacity());
        }
      }
      for (int i = 0; i < recs.length; i++) {
        try {
          recs[i] = index.add(batch.get(i));
        } catch (InvalidTaskException e) { // a given id is taken: insert none of them
          for (int j = 0; j < i; j++) {
            index.remove(recs[j]);
          }
          throw e;
        }
        if (flows[i] != null && flows[i] == lanes.get(recs[i].queue).flow) {
          recs[i].flowKey = flowKeys[i];
        }
        boolean isCallback = kind.hasCallback() && i == recs.length - 1;
        recs[i].group = isCallback ? 0 : group;
        recs[i].held = (chained && i > 0) || isCallback;
        if (chained && i > 0) {
          recs[i - 1].next = recs[i].id;
        }
        if (isCallback) {
          recs[i].next = kind.callbackMark();
          for (int j = 0; j < i; j++) {
            recs[j].next = recs[i].id;
          }
        }
      }
      for (Rec r : recs) {
        Lane lane = lanes.get(r.queue);
        lane.waiting++;
        signals.added(r.id, r.queue, null, r.createdAt);
        if (!r.held) {
          lane.enqueue(r, r.runAtMicros);
        }
      }
      groups.add(group, kind.hasCallback() ? Arrays.copyOf(recs, recs.length - 1) : recs);
    } finally {
      locked.forEach(l -> l.lock.unlock());
    }
    List<Long> idList = new ArrayList<>(recs.length);
    for (Rec r : recs) {
      idList.add(r.id);
    }
    perQueue.keySet().forEach(signals::workAvailable);
    return new GroupInserted(group, idList);
  }
}
