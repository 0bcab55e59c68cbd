package io.errand.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The line of each key path of a config or task file ({@code queues.mail.workers},
 * {@code processes.x.argv[2]}), as the readers name them, for messages that point into the
 * file. The tree the readers get has no positions, so the file's tokens are read once more;
 * a file that cannot be read this way simply has no lines.
 */
final class KeyLines {
  private final Map<String, Integer> lines;

  private KeyLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** The lines of {@code file}'s keys; none when it cannot be read or parsed. */
  static KeyLines of(Path file) {
    Map<String, Integer> lines = new HashMap<>();
    boolean yaml = Set.of("yaml", "yml").contains(ConfigFiles.extension(file));
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      try (JsonParser p = yaml ? new YAMLFactory().createParser(text) : JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
              JsonReadFeature.ALLOW_TRAILING_COMMA).build().createParser(text)) {
        walk(p, lines);
      }
    } catch (IOException | RuntimeException e) {
      // no lines: the messages still name the key path
    }
    return new KeyLines(Map.copyOf(lines));
  }

  /** The line of {@code path}, or of the nearest enclosing key that has one. */
  OptionalInt line(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer l = lines.get(p);
      if (l != null) {
        return OptionalInt.of(l);
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return OptionalInt.empty();
  }

  /** Records the line of every key and array element, by the readers' path syntax. */
  private static void walk(JsonParser p, Map<String, Integer> lines) throws IOException {
    Deque<String> paths = new ArrayDeque<>(); // the path of each open container
    Deque<int[]> indexes = new ArrayDeque<>(); // for arrays: the next element's index
    String field = null;
    for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
      if (t == JsonToken.FIELD_NAME) {
        String parent = paths.isEmpty() ? "" : paths.peek();
        field = parent.isEmpty() ? p.currentName() : parent + "." + p.currentName();
        lines.putIfAbsent(field, p.currentTokenLocation().getLineNr());
        continue;
      }
      String here = null;
      if (!paths.isEmpty() && indexes.peek() != null && indexes.peek().length == 1
          && indexes.peek()[0] >= 0 && t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT) {
        here = paths.peek() + "[" + indexes.peek()[0]++ + "]";
        lines.putIfAbsent(here, p.currentTokenLocation().getLineNr());
      } else if (t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT) {
        here = field == null ? "" : field;
      }
      if (t == JsonToken.START_OBJECT) {
        paths.push(here);
        indexes.push(new int[] {-1});
      } else if (t == JsonToken.START_ARRAY) {
        paths.push(here);
        indexes.push(new int[] {0});
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        paths.pop();
        indexes.pop();
      }
    }
  }
}
