package io.errand.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.common.SettingException;
import io.errand.server.handler.HandlerFactory;
import io.errand.http.ApiServer;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/**
 * Plugins are found on the class path and contribute through the SPI alone: git-sync's
 * handler, routes and verbs reach the program only this way.
 */
class InstalledPluginsTest {
  @TempDir
  Path dir;

  @Test
  void gitSyncIsFoundOnTheClassPathWithItsHandlerRoutesAndVerbs() {
    List<ServerPlugin> plugins = InstalledPlugins.of(getClass().getClassLoader());
    assertThat(plugins).extracting(ServerPlugin::name).contains("git-sync");
    ServerPlugin git = plugins.stream().filter(p -> p.name().equals("git-sync")).findFirst()
        .orElseThrow();
    assertThat(git.handlers()).extracting(HandlerFactory::name).containsExactly("git-sync");
    assertThat(git.commands()).extracting(c -> c.getClass().getAnnotation(Command.class).name())
        .containsExactly("sync", "users");

    PluginSettings settings = new PluginSettings(Map.of("ada", new PluginSettings.User("ada",
        "work", JsonNodeFactory.instance.objectNode().put("dir", "ada"))));
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("work", Object.class, ctx -> null).build()).build()) {
      ApiServer.Builder b = ApiServer.builder(errand).port(0);
      git.routes(settings).forEach(b::routes);
      ApiServer api = b.build();
      api.start();
      try {
        assertThat(api.routes()).contains("GET /api/users", "POST /api/users/sync",
            "POST /api/users/{name}/sync");
      } finally {
        api.stop();
      }
    }
  }

  @Test
  void withoutPluginRoutesTheApiHasNoUsersRoutes() {
    try (Errand errand = Errand.builder()
        .queue(QueueSpec.builder("work", Object.class, ctx -> null).build()).build()) {
      ApiServer api = ApiServer.builder(errand).port(0).build();
      api.start();
      try {
        assertThat(api.routes()).noneMatch(r -> r.contains("/api/users"));
      } finally {
        api.stop();
      }
    }
  }

  @Test
  void twoDifferentPluginsOfOneNameAreRefusedNamingBoth() throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(ServerPlugin.class.getName()),
        Twin.class.getName() + "\n" + OtherTwin.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      assertThatThrownBy(() -> InstalledPlugins.of(loader))
          .isInstanceOf(SettingException.class)
          .hasMessageContaining("plugins_dir")
          .hasMessageContaining("two plugins are named 'twin'")
          .hasMessageContaining(Twin.class.getName())
          .hasMessageContaining(OtherTwin.class.getName());
    }
  }

  /** A plugin named "twin". */
  public static final class Twin implements ServerPlugin {
    @Override
    public String name() {
      return "twin";
    }
  }

  /** Another plugin, also named "twin". */
  public static final class OtherTwin implements ServerPlugin {
    @Override
    public String name() {
      return "twin";
    }
  }
}
