package io.errand.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads config and task files into trees, turning every way that can fail (missing, unreadable,
 * not UTF-8, bad syntax) into a one-line {@link ConfigException}; and lists a directory's task
 * files. JSON and Yao files may hold comments and trailing commas, as Yao's own files do.
 */
final class ConfigFiles {
  /** Extensions of files that are task definitions when found in a tasks directory. */
  static final Set<String> TASK_EXTENSIONS = Set.of("yao", "json", "jsonc", "yaml", "yml");

  // Duplicate keys and a second document are refused rather than one copy silently winning.
  private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
          JsonReadFeature.ALLOW_TRAILING_COMMA)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ConfigFiles() {}

  /** The file's extension in lower case, or the empty string. */
  static String extension(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString();
    int dot = n.lastIndexOf('.');
    return dot <= 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The file's name without its extension: a task file's queue name. */
  static String baseName(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot <= 0 ? n : n.substring(0, dot);
  }

  /**
   * The tree in {@code file}: YAML for {@code .yaml}/{@code .yml}, JSON otherwise. An empty
   * file is an empty map.
   */
  static JsonNode read(Path file) {
    String text = readText(file);
    boolean yaml = Set.of("yaml", "yml").contains(extension(file));
    try {
      JsonNode n = (yaml ? YAML : JSON).readTree(text);
      return n == null || n.isMissingNode() ? JsonNodeFactory.instance.objectNode() : n;
    } catch (JsonProcessingException e) {
      throw new ConfigException(file, "", syntaxError(yaml, e));
    }
  }

  /**
   * The task files under {@code dir}, depth first in name order. Hidden files and files with
   * other extensions (a README, say) are skipped, because a tasks directory often holds them.
   */
  static List<Path> taskFiles(Path dir) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile)
          .filter(p -> TASK_EXTENSIONS.contains(extension(p)))
          .filter(p -> !hidden(dir.relativize(p)))
          .sorted()
          .forEach(out::add);
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException(dir, "", "cannot list the directory: " + reason(e));
    }
    return out;
  }

  /**
   * The queue name of task file {@code file} under {@code dir}: its path without the extension,
   * with '.' between directories, as Yao names them ({@code tasks/mail/welcome.yao} is
   * {@code mail.welcome}).
   */
  static String queueName(Path dir, Path file) {
    Path rel = dir.relativize(file);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rel.getNameCount() - 1; i++) {
      sb.append(rel.getName(i)).append('.');
    }
    return sb.append(baseName(rel)).toString();
  }

  private static boolean hidden(Path rel) {
    for (Path part : rel) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String readText(Path file) {
    if (Files.isDirectory(file)) {
      throw new ConfigException(file, "", "is a directory, expected a file");
    }
    try {
      // Decoding strictly: a config that is not UTF-8 would otherwise load with replacement
      // characters in its values, which then fail far from their cause.
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, "", "no such file (looked for "
          + file.toAbsolutePath().normalize() + ")");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file, "", "cannot read: it is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file, "", "cannot read: " + reason(e));
    }
  }

  private static String reason(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
  }

  /** A parser's complaint as one line with the line and column where it noticed it. */
  private static String syntaxError(boolean yaml, JsonProcessingException e) {
    String format = yaml ? "YAML" : "JSON";
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      String msg = format + " syntax error at " + at(m.getProblemMark()) + ": " + m.getProblem();
      if (m.getContext() != null && m.getContextMark() != null) {
        msg += " (" + m.getContext() + " that starts at " + at(m.getContextMark()) + ")";
      }
      return msg;
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    // Jackson's messages run on with the source excerpt after the first line.
    String first = original.lines().findFirst().orElse("").strip()
        .replaceFirst("^Duplicate field ", "duplicate key ");
    if (first.startsWith("Trailing token")) {
      first = yaml ? "a second document (after '---') is not supported; keep one"
          : "more after the end of the top-level value; keep one value";
    }
    var loc = e.getLocation();
    String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column "
        + loc.getColumnNr();
    return format + " syntax error" + where + ": " + first;
  }

  private static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }
}
