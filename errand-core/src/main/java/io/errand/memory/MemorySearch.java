package io.errand.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.api.FailureGroup;
import io.errand.api.Page;
import io.errand.api.TaskError;
import io.errand.api.TaskFilter;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskRecord;
import io.errand.spi.TaskSearch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory store's searches: a walk over its tasks, newest first. It holds no index of text;
 * a store of many tasks is the SQL stores' case.
 */
final class MemorySearch implements TaskSearch {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final MemoryState state;

  MemorySearch(MemoryState state) {
    this.state = state;
  }

  @Override
  public Page<TaskRecord> find(TaskFilter filter, int limit, long cursor) {
    TaskSearch.checkPage(limit, cursor);
    return state.index.newestFirst(filter.queue(), cursor, limit,
        r -> state.locked(r, x -> {
          TaskRecord snap = x.snapshot();
          return matches(filter, snap.info()) ? snap : null;
        }));
  }

  @Override
  public long count(TaskFilter filter) {
    long n = 0;
    long cursor = 0;
    do {
      Page<TaskRecord> page = find(filter, TaskQuery.MAX_LIMIT, cursor);
      n += page.items().size();
      cursor = page.nextCursor();
    } while (cursor != 0);
    return n;
  }

  @Override
  public List<FailureGroup> failures(TaskFilter filter, int limit) {
    TaskSearch.checkPage(limit, 0);
    TaskFilter failed = new TaskFilter(filter.queue(), TaskStatus.FAILURE, filter.text(),
        filter.from(), filter.to());
    Map<List<String>, FailureGroup> groups = new LinkedHashMap<>();
    long cursor = 0;
    do {
      Page<TaskRecord> page = find(failed, TaskQuery.MAX_LIMIT, cursor);
      for (TaskRecord r : page.items()) {
        List<TaskError> errors = r.info().errors();
        TaskError last = errors.isEmpty() ? null : errors.get(errors.size() - 1);
        String type = last == null ? "unknown" : last.type();
        String message = last == null ? r.info().message() : last.message();
        // Newest first: the first task seen of a group is its latest.
        groups.merge(List.of(type, message == null ? "" : message),
            new FailureGroup(type, message, 1, r.id(), r.info().finishedAt()),
            (a, b) -> new FailureGroup(a.type(), a.message(), a.count() + 1, a.latestTask(),
                a.latestAt()));
      }
      cursor = page.nextCursor();
    } while (cursor != 0);
    return groups.values().stream()
        .sorted(Comparator.comparingLong(FailureGroup::count).reversed()
            .thenComparing(Comparator.comparingLong(FailureGroup::latestTask).reversed()))
        .limit(limit).toList();
  }

  static boolean matches(TaskFilter f, TaskInfo t) {
    if (f.status() != null && t.status() != f.status()) {
      return false;
    }
    if (!f.inRange(t.createdAt())) {
      return false;
    }
    String text = f.lowerText();
    if (text == null || t.id() == f.textAsId()) {
      return true;
    }
    return contains(t.key(), text) || contains(argsText(t.args()), text)
        || t.errors().stream().anyMatch(e -> errorContains(e, text));
  }

  private static boolean errorContains(TaskError e, String text) {
    return contains(e.type(), text) || contains(e.message(), text) || contains(e.trace(), text)
        || contains(e.output(), text)
        || e.causes().stream().anyMatch(c -> contains(c.type(), text)
            || contains(c.message(), text));
  }

  private static String argsText(Object args) {
    if (args == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(args);
    } catch (JsonProcessingException | RuntimeException unwritable) {
      // Arguments kept by reference need not be JSON: search their text instead.
      return String.valueOf(args);
    }
  }

  /** Whether {@code s} contains {@code lower}, ASCII letters compared without case. */
  private static boolean contains(String s, String lower) {
    if (s == null || s.length() < lower.length()) {
      return false;
    }
    int n = lower.length();
    for (int i = 0; i + n <= s.length(); i++) {
      if (s.regionMatches(true, i, lower, 0, n)) {
        return true;
      }
    }
    return false;
  }
}
