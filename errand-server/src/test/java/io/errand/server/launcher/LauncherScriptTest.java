package io.errand.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code errand} launcher, run by bash beside a stand-in for the Maven Wrapper
 * that prints what Maven prints (nothing under {@code -q}) and records its arguments: a first
 * run shows the build's progress, and builds the server without its tests.
 */
class LauncherScriptTest {
  private static final String FAKE_MAVEN = """
      #!/usr/bin/env bash
      printf '%s\\n' "$@" > "$(dirname "$0")/maven-args"
      for a in "$@"; do [ "$a" = "-q" ] && exit 0; done
      echo "[INFO] Scanning for projects..."
      echo "[INFO] Building Errand core 0.1.0-SNAPSHOT                                [2/5]"
      echo "[INFO] Compiling 120 source files with javac [debug release 21] to target/classes"
      echo "[INFO] Building Errand server 0.1.0-SNAPSHOT                              [5/5]"
      echo "[INFO] BUILD SUCCESS"
      """;

  @TempDir
  Path dir;

  @Test
  void aFirstRunShowsTheBuildsProgressAndSkipsTheTests() throws Exception {
    Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("errand");
    Files.copy(script, dir.resolve("errand"));
    Files.writeString(dir.resolve("mvnw"), FAKE_MAVEN, StandardCharsets.UTF_8);
    for (String f : List.of("errand", "mvnw")) {
      Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    ProcessBuilder pb = new ProcessBuilder("bash", dir.resolve("errand").toString(), "--version")
        .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out).as("what the user sees").contains("errand: building")
        .contains("Building Errand core").contains("Building Errand server")
        .contains("BUILD SUCCESS").doesNotContain("Compiling 120 source files");
    assertThat(mavenArgs()).contains("-Dmaven.test.skip=true", "-pl", "errand-server", "-am", "package")
        .doesNotContain("-q", "errand-bench");
  }

  private List<String> mavenArgs() throws IOException {
    return Files.readAllLines(dir.resolve("maven-args"));
  }
}
