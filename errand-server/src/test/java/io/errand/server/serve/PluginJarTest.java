package io.errand.server.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.errand.api.TaskHandler;
import io.errand.common.SettingException;
import io.errand.server.handler.HandlerSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handlers from jars dropped in the plugins directory, compiled and packed by the test. */
class PluginJarTest {
  @TempDir
  Path dir;

  @Test
  void aHandlerFactoryInAPluginJarIsFoundByItsName() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    pluginJar(plugins.resolve("shout.jar"));

    HandlerRegistry registry = HandlerRegistry.load(plugins);
    assertThat(registry.names()).contains("shout", "demo");
    TaskHandler<Object, Object> h = registry.create("shout", "queues.q.handler",
        new HandlerSettings("q", "queues.q.options", null, dir));
    assertThat(h.run(new HookContext(1, "q", "hello"))).isEqualTo("HELLO");
  }

  @Test
  void withoutThePluginTheNameIsUnknownWithTheKnownOnesListed() {
    HandlerRegistry registry = HandlerRegistry.load(dir.resolve("no-such-dir"));
    assertThatThrownBy(() -> registry.create("shout", "queues.q.handler",
        new HandlerSettings("q", "queues.q.options", null, dir)))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("queues.q.handler: unknown handler 'shout'")
        .hasMessageContaining("demo");
  }

  @Test
  void aClassNameThatIsNoHandlerIsRefused() {
    HandlerRegistry registry = HandlerRegistry.load(null);
    assertThatThrownBy(() -> registry.create("java.lang.String", "queues.q.handler",
        new HandlerSettings("q", "queues.q.options", null, dir)))
        .hasMessage("queues.q.handler: class java.lang.String is neither a TaskHandler nor a"
            + " HandlerFactory");
  }

  private void pluginJar(Path jar) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/shout"));
    Files.writeString(src.resolve("ShoutFactory.java"), """
        package shout;
        import io.errand.api.TaskHandler;
        import io.errand.server.handler.HandlerFactory;
        import io.errand.server.handler.HandlerSettings;
        public final class ShoutFactory implements HandlerFactory {
          public String name() { return "shout"; }
          public TaskHandler<Object, Object> create(HandlerSettings s) {
            return ctx -> String.valueOf(ctx.args()).toUpperCase();
          }
        }
        """);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), src.resolve("ShoutFactory.java").toString());
    assertThat(rc).as("javac exit code").isZero();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        add(out, classes.relativize(f).toString(), Files.readAllBytes(f));
      }
      add(out, "META-INF/services/io.errand.server.handler.HandlerFactory",
          "shout.ShoutFactory\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    OutputStream o = out;
    o.write(bytes);
    out.closeEntry();
  }
}
