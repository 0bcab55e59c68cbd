package io.errand.server.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.errand.common.SettingException;
import io.errand.server.handler.HandlerFactory;
import io.errand.server.handler.HandlerSettings;
import io.errand.server.plugin.InstalledPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler's options are checked when the queue is made, each error naming its key. */
class GitSyncSettingsTest {
  @TempDir
  Path tmp;

  private HandlerSettings settings(Map<String, Object> options) {
    return new HandlerSettings("sync", "queues.sync.options",
        new ObjectMapper().valueToTree(options), tmp);
  }

  @Test
  void theFactoryIsFoundByItsName() {
    // git-sync brings its factory as a plugin, beside the handler services of the class path.
    assertThat(InstalledPlugins.of(getClass().getClassLoader()).stream()
        .flatMap(p -> p.handlers().stream()).map(HandlerFactory::name)).contains("git-sync");
    assertThat(ServiceLoader.load(HandlerFactory.class).stream()
        .map(ServiceLoader.Provider::get).map(HandlerFactory::name)).doesNotContain("git-sync");
  }

  @Test
  void theWorkspaceDefaultsToTheDataDirAndIsCreated() {
    new GitSyncHandlerFactory().create(settings(Map.of()));
    assertThat(tmp.resolve("workspace")).isDirectory();

    new GitSyncHandlerFactory().create(settings(Map.of("workspace", "repos")));
    assertThat(tmp.resolve("repos")).as("relative to the data dir").isDirectory();
  }

  @Test
  void leftoversOfAnEarlierRunAreSweptOnlyWhenOld() throws Exception {
    Path tmpDir = Files.createDirectories(tmp.resolve("workspace/.errand-tmp"));
    Path old = Files.createDirectories(tmpDir.resolve("clone-old"));
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(0));
    Path recent = Files.createDirectories(tmpDir.resolve("clone-recent"));

    new GitSyncHandlerFactory().create(settings(Map.of()));

    assertThat(old).doesNotExist();
    assertThat(recent).as("may belong to a clone still running").exists();
  }

  @Test
  void theCredentialsVariablesAreTheServersSecretsAndNoGitProcessGetsThem() {
    HandlerSettings s = settings(Map.of("credentials", Map.of("gitlab", Map.of("env",
        "GITLAB_TOKEN"), "corp", Map.of("file", "/etc/corp-git"))));

    new GitSyncHandlerFactory().create(s);

    assertThat(s.secretEnv().names()).containsExactlyInAnyOrder("ERRAND_TOKEN", "GITLAB_TOKEN");
    // git inherits the server's environment; a null value removes a variable from it.
    Map<String, String> env = Git.environment(Map.of("ERRAND_TOKEN", "t", "GITLAB_TOKEN", "g",
        "HOME", "/home/x"), null, s.secretEnv().names());
    assertThat(env).containsEntry("ERRAND_TOKEN", null).containsEntry("GITLAB_TOKEN", null)
        .doesNotContainKey("HOME");
  }

  @Test
  void badOptionsNameTheirKey() {
    assertRefused(Map.of("stale_afer", "5m"), "queues.sync.options.stale_afer: unknown option"
        + " (did you mean 'stale_after'?)");
    assertRefused(Map.of("timeout", "0s"), "queues.sync.options.timeout: must be positive");
    assertRefused(Map.of("stale_after", "soon"), "queues.sync.options.stale_after: 'soon' is"
        + " not a duration");
    assertRefused(Map.of("credentials", "token"), "queues.sync.options.credentials: must be a"
        + " map");
    assertRefused(Map.of("credentials", Map.of("ci", Map.of("env", "A", "file", "/f"))),
        "queues.sync.options.credentials.ci: needs exactly one of env");
    assertRefused(Map.of("credentials", Map.of("ci", Map.of("envv", "A"))),
        "queues.sync.options.credentials.ci.envv: unknown key (did you mean 'env'?)");
  }

  @Test
  void aWorkspaceThatCannotBeCreatedIsASettingError() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertRefused(Map.of("workspace", file.resolve("ws").toString()),
        "queues.sync.options.workspace: cannot create " + file.resolve("ws"));
  }

  private void assertRefused(Map<String, Object> options, String message) {
    assertThatThrownBy(() -> new GitSyncHandlerFactory().create(settings(options)))
        .isInstanceOf(SettingException.class).hasMessageStartingWith(message);
  }
}
