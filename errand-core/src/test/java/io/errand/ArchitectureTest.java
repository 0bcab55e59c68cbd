package io.errand;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package structure, enforced: users touch {@code api}; stores implement {@code spi}; the
 * engine and the memory store are internals that {@code api} reaches only to build an Errand.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/errand");
  private static final Pattern IMPORT = Pattern.compile("io\\.errand\\.(\\w+)\\.");

  @Test
  void spiDependsOnlyOnApi() throws IOException {
    assertThat(references("spi")).allMatch(p -> p.equals("api") || p.equals("spi"));
  }

  @Test
  void memoryStoreSeesOnlyApiAndSpi() throws IOException {
    assertThat(references("memory")).allMatch(p -> List.of("api", "spi", "memory").contains(p));
  }

  @Test
  void apiReachesInternalsOnlyToBuildAnErrand() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN.resolve("api"))) {
      for (Path f : files.toList()) {
        String src = Files.readString(f);
        if ((src.contains("io.errand.engine.") || src.contains("io.errand.memory."))
            && !f.getFileName().toString().equals("Errand.java")) {
          offenders.add(f.getFileName().toString());
        }
      }
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void theEngineHasExactlyOnePublicType() throws IOException {
    List<String> publicTypes = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN.resolve("engine"))) {
      for (Path f : files.toList()) {
        if (Pattern.compile("(?m)^public ").matcher(Files.readString(f)).find()) {
          publicTypes.add(f.getFileName().toString());
        }
      }
    }
    assertThat(publicTypes).containsExactlyInAnyOrder("Engines.java", "EngineSettings.java");
  }

  private static List<String> references(String pkg) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
      for (Path f : files.toList()) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          found.add(m.group(1));
        }
      }
    }
    assertThat(found).as("references found in io.errand." + pkg).isNotEmpty();
    return found;
  }
}
