package io.errand.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every problem of a config, not only the first ({@code errand config check}). The loader stops
 * at its first problem, which is right for start-up; to find the next ones the check takes the
 * bad key out of the file's tree and loads it again, until it loads or nothing is left to take
 * out. A required key that is missing gets a stand-in value, so that its siblings are checked
 * too; a key whose stand-in or removal brings a new problem at the same place takes its
 * enclosing key out instead, and a problem of a key the check took out (no queues left, say)
 * is the check's own doing and not reported: one mistake is reported once. A directory of task
 * files, and the {@code tasks:} directory of a config, are checked file by file. One check runs
 * at a time (it is not for concurrent use).
 *
 * <p>What the check cannot see: what only start-up finds (a port in use, a database that does
 * not answer, a handler's class missing from the plugins directory).
 */
public final class ConfigCheck {
  private static final Set<String> FILE_KINDS = Set.of("yaml", "yml", "json", "yao", "jsonc");

  /**
   * One problem: the file, the key path (empty for the file as a whole), the line of that key
   * when known, and what is wrong.
   *
   * @param file    the file the problem is in
   * @param path    the dotted key path, or empty
   * @param line    the key's line in the file, or empty
   * @param problem what is wrong and what would be right, on one line
   */
  public record Problem(Path file, String path, OptionalInt line, String problem) {
    /** Checks that no part is null. */
    public Problem {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(line, "line");
      Objects.requireNonNull(problem, "problem");
    }

    /** As a compiler would print it: {@code errand.yaml:12: queues.mail.workers: must be...}. */
    @Override
    public String toString() {
      return file + (line.isPresent() ? ":" + line.getAsInt() : "") + ": "
          + (path.isEmpty() ? "" : path + ": ") + problem;
    }
  }

  private final ConfigLoader loader;
  /** Task files of a config's {@code tasks:} directory already checked on their own. */
  private final Set<Path> checkedTaskFiles = new HashSet<>();

  /** A check that substitutes {@code ${NAME}} from {@code env}, as start-up would. */
  public ConfigCheck(Map<String, String> env) {
    this.loader = new ConfigLoader(env, checkedTaskFiles);
  }

  /**
   * Every problem of the config at {@code path} (a config file, a task file or a directory of
   * task files), in the order found; empty when it loads.
   */
  public List<Problem> check(Path path) {
    checkedTaskFiles.clear();
    try {
      loader.load(path);
      return List.of();
    } catch (ConfigException first) {
      if (Files.isDirectory(path)) {
        return checkDirectory(path, first);
      }
      if (!Files.isRegularFile(path) || !FILE_KINDS.contains(ConfigFiles.extension(path))) {
        return List.of(problem(first, KeyLines.of(path)));
      }
      return checkFile(path);
    }
  }

  private List<Problem> checkDirectory(Path dir, ConfigException first) {
    List<Problem> all = new ArrayList<>();
    try {
      for (Path f : ConfigFiles.taskFiles(dir)) {
        all.addAll(checkFile(f));
      }
    } catch (ConfigException e) {
      all.add(problem(e, KeyLines.of(dir)));
    }
    // Problems between files (a queue defined twice, no task files at all) show in no one file.
    return all.isEmpty() ? List.of(problem(first, KeyLines.of(dir))) : all;
  }

  /** Loads {@code file} again and again, each time without the key of the last problem. */
  private List<Problem> checkFile(Path file) {
    KeyLines lines = KeyLines.of(file);
    JsonNode tree;
    try {
      tree = ConfigFiles.read(file);
    } catch (ConfigException e) {
      return List.of(problem(e, lines)); // unreadable or bad syntax: nothing more to find
    }
    List<Problem> found = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    List<String> removed = new ArrayList<>();
    while (true) {
      ConfigException e;
      try {
        loader.loadTree(file, tree);
        return inLineOrder(found);
      } catch (ConfigException c) {
        e = c;
      }
      if (e.file() != null && !file.equals(e.file())) {
        // A task file of the config's tasks: directory: all its problems, then the rest
        // without it (a problem between files, a queue defined twice, shows as it came).
        if (!checkedTaskFiles.add(e.file())) {
          return inLineOrder(found);
        }
        List<Problem> own = checkFile(e.file());
        found.addAll(own.isEmpty() ? List.of(problem(e, KeyLines.of(e.file()))) : own);
        continue;
      }
      String at = e.path();
      boolean again = !reported.add(e.file() + "\u0000" + e.path());
      // "no queues" after the check took the only queue out (or left out the only task files)
      // is the check's doing, not the file's
      boolean consequence = removed.stream().anyMatch(r -> r.equals(at)
          || r.startsWith(at + ".") || r.startsWith(at + "["))
          || !checkedTaskFiles.isEmpty() && at.equals("queues") && e.problem().startsWith("none");
      if (!again && !consequence) {
        found.add(problem(e, lines));
      }
      if (at.isEmpty()) {
        return inLineOrder(found);
      }
      if (!again && !consequence && locate(tree, at) == null && fill(tree, at)) {
        continue; // a required key was missing: a stand-in lets its siblings be checked
      }
      String gone = removeNear(tree, again ? parent(at) : at);
      if (gone == null) {
        return inLineOrder(found);
      }
      removed.add(gone);
    }
  }

  /**
   * Puts a stand-in text at {@code path}, whose enclosing map is there but lacks the key; false
   * when there is no such map.
   */
  private static boolean fill(JsonNode root, String path) {
    String parent = parent(path);
    JsonNode map = root;
    if (!parent.isEmpty()) {
      Slot slot = locate(root, parent);
      map = slot == null ? null : slot.value();
    }
    String key = strip(path.substring(parent.length()));
    if (map instanceof ObjectNode object && !key.isEmpty() && !key.startsWith("[")) {
      object.put(key, "config-check-stand-in");
      return true;
    }
    return false;
  }

  /** The problems by file, then line (the whole file's first), as a reader goes through. */
  private static List<Problem> inLineOrder(List<Problem> found) {
    List<Problem> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing((Problem p) -> p.file().toString())
        .thenComparingInt(p -> p.line().orElse(0)));
    return sorted;
  }

  /**
   * Removes the value at {@code path}, or its nearest enclosing one present, and returns the
   * path removed; null when nothing is left to remove.
   */
  private static String removeNear(JsonNode root, String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Slot slot = locate(root, p);
      if (slot != null) {
        if (slot.container() instanceof ArrayNode array) {
          array.remove(slot.index());
        } else {
          ((ObjectNode) slot.container()).remove(slot.key());
        }
        return p;
      }
    }
    return null;
  }

  /** Where a value is: its container and its key there (or its index in an array). */
  private record Slot(JsonNode container, String key, int index) {
    JsonNode value() {
      return key == null ? container.get(index) : container.get(key);
    }
  }

  /**
   * The slot of the value at {@code path} below {@code node}, or null. Keys may hold dots
   * (queue {@code mail.welcome} is at {@code queues.mail.welcome}), so each way of cutting the
   * path is tried, the longest key first.
   */
  private static Slot locate(JsonNode node, String path) {
    if (path.startsWith("[")) {
      int end = path.indexOf(']');
      if (end < 0 || !node.isArray()) {
        return null;
      }
      int i = Integer.parseInt(path.substring(1, end));
      String rest = strip(path.substring(end + 1));
      if (i >= node.size()) {
        return null;
      }
      return rest.isEmpty() ? new Slot(node, null, i) : locate(node.get(i), rest);
    }
    for (int cut = path.length(); cut > 0; cut = boundaryBefore(path, cut)) {
      String key = path.substring(0, cut);
      if (node.isObject() && node.has(key)) {
        String rest = strip(path.substring(cut));
        Slot found = rest.isEmpty() ? new Slot(node, key, -1) : locate(node.get(key), rest);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static int boundaryBefore(String path, int cut) {
    return Math.max(path.lastIndexOf('.', cut - 1), path.lastIndexOf('[', cut - 1));
  }

  private static String strip(String rest) {
    return rest.startsWith(".") ? rest.substring(1) : rest;
  }

  /** The path of the enclosing key: {@code a.b} of {@code a.b.c} and of {@code a.b[2]}. */
  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static Problem problem(ConfigException e, KeyLines lines) {
    Path file = e.file() == null ? Path.of("(defaults)") : e.file();
    return new Problem(file, e.path(), e.path().isEmpty() ? OptionalInt.empty()
        : lines.line(e.path()), e.problem().replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
  }
}
