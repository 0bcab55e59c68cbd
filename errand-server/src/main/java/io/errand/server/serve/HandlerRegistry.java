package io.errand.server.serve;

import io.errand.api.TaskHandler;
import io.errand.common.SettingException;
import io.errand.common.Suggestions;
import io.errand.server.config.ServerConfig.ProcessConfig;
import io.errand.server.handler.HandlerFactory;
import io.errand.server.handler.HandlerSettings;
import io.errand.server.plugin.InstalledPlugins;
import io.errand.server.plugin.ServerPlugin;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds the handler a config names: a Yao process name bound under {@code processes} (to a
 * handler with options), a {@link HandlerFactory} registered with {@link ServiceLoader} (the
 * built-ins, the class path, and jars in the plugins directory) or brought by a
 * {@link ServerPlugin} (such as git-sync) by its name, or else a class of
 * that name that is a {@link HandlerFactory} or a {@link TaskHandler} with a public no-argument
 * constructor.
 */
final class HandlerRegistry {
  private final ClassLoader loader;
  private final Map<String, HandlerFactory> factories;
  private final Map<String, ProcessConfig> processes;
  private final List<ServerPlugin> plugins;

  private HandlerRegistry(ClassLoader loader, Map<String, HandlerFactory> factories,
      Map<String, ProcessConfig> processes, List<ServerPlugin> plugins) {
    this.loader = loader;
    this.factories = factories;
    this.processes = processes;
    this.plugins = plugins;
  }

  /** The handlers of {@link #load(Path)}, with Yao process names bound as {@code processes}. */
  static HandlerRegistry load(Path pluginsDir, Map<String, ProcessConfig> processes) {
    HandlerRegistry r = load(pluginsDir);
    return new HandlerRegistry(r.loader, r.factories, Map.copyOf(processes), r.plugins);
  }

  /** The plugins of the class path and the plugins directory, sorted by name. */
  List<ServerPlugin> plugins() {
    return plugins;
  }

  /** The webhook URL process {@code name} is bound to, if it is bound to one. */
  Optional<String> url(String name) {
    ProcessConfig p = processes.get(name);
    return p == null ? Optional.empty() : Optional.ofNullable(p.url());
  }

  /**
   * The handlers of the class path and of every jar in {@code pluginsDir} (which may be absent).
   *
   * @throws SettingException at {@code plugins_dir} when a plugin cannot be read or loaded
   */
  static HandlerRegistry load(Path pluginsDir) {
    ClassLoader loader = pluginLoader(pluginsDir);
    Map<String, HandlerFactory> found = new TreeMap<>();
    List<ServerPlugin> plugins = InstalledPlugins.of(loader);
    List<HandlerFactory> all = new ArrayList<>();
    try {
      ServiceLoader.load(HandlerFactory.class, loader).forEach(all::add);
      plugins.forEach(p -> all.addAll(p.handlers()));
      for (HandlerFactory f : all) {
        HandlerFactory before = found.putIfAbsent(f.name(), f);
        if (before != null && before.getClass() != f.getClass()) {
          throw new SettingException("plugins_dir", "two handlers are named '" + f.name() + "': "
              + before.getClass().getName() + " and " + f.getClass().getName()
              + "; remove one of the jars");
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new SettingException("plugins_dir", "a handler could not be loaded: " + e.getMessage());
    }
    return new HandlerRegistry(loader, found, Map.of(), plugins);
  }

  /** The registered handler names, sorted. */
  List<String> names() {
    return List.copyOf(factories.keySet());
  }

  /**
   * The handler {@code name} made with {@code settings}.
   *
   * @param name     a registered name or a class name
   * @param at       the key path of the name, for errors
   * @param settings the handler's options
   * @throws SettingException when nothing goes by that name or its options are wrong
   */
  TaskHandler<Object, Object> create(String name, String at, HandlerSettings settings) {
    ProcessConfig bound = processes.get(name);
    if (bound != null) {
      if (bound.handler() == null) {
        throw new SettingException(at, "names process '" + name + "', which " + bound.path()
            + " binds to a webhook URL; only an event (add, success, error, progress) can post"
            + " to one: bind it to a handler, e.g. {handler: http, options: {url: ...}}");
      }
      return create(bound.handler(), bound.path() + ".handler", new HandlerSettings(
          settings.owner(), bound.path() + ".options", bound.options(), settings.dataDir(),
          settings.secretEnv()));
    }
    HandlerFactory f = factories.get(name);
    if (f != null) {
      return f.create(settings);
    }
    Class<?> type;
    try {
      type = Class.forName(name, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      if (isYaoKey(at)) {
        throw new SettingException(at, "unknown process '" + name + "': Yao names processes,"
            + " Errand runs handlers; bind it under processes in the config file that loads"
            + " this task file (tasks: <its directory>), e.g. processes: {" + name
            + ": {handler: exec, options: {command: [...]}}}" + (at.contains("event.")
            ? ", or a webhook URL" : "") + "; known handlers are "
            + String.join(", ", factories.keySet()));
      }
      throw new SettingException(at, "unknown handler '" + name + "'"
          + Suggestions.hint(name, factories.keySet()) + "; known handlers are "
          + String.join(", ", factories.keySet()) + ", or the class name of a TaskHandler or"
          + " HandlerFactory on the class path or in the plugins directory");
    }
    Object instance = instantiate(type, name, at);
    if (instance instanceof HandlerFactory factory) {
      return factory.create(settings);
    }
    if (instance instanceof TaskHandler<?, ?> handler) {
      @SuppressWarnings("unchecked")
      TaskHandler<Object, Object> h = (TaskHandler<Object, Object>) handler;
      return h;
    }
    throw new SettingException(at, "class " + name + " is neither a TaskHandler nor a"
        + " HandlerFactory");
  }

  /** Whether {@code at} is a Yao key ({@code process}, {@code event.*}), not Errand's. */
  private static boolean isYaoKey(String at) {
    return at.equals("process") || at.endsWith(".process") || at.startsWith("event.")
        || at.contains(".event.");
  }

  private static Object instantiate(Class<?> type, String name, String at) {
    try {
      return type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new SettingException(at, "class " + name + " needs a public no-argument constructor");
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new SettingException(at, "class " + name + " could not be created: " + cause);
    }
  }

  private static ClassLoader pluginLoader(Path dir) {
    ClassLoader parent = HandlerRegistry.class.getClassLoader();
    if (dir == null || !Files.isDirectory(dir)) {
      return parent;
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(p.toUri().toURL());
      }
    } catch (IOException e) {
      throw new SettingException("plugins_dir", "cannot read " + dir + ": " + e.getMessage());
    }
    return jars.isEmpty() ? parent
        : new URLClassLoader("errand-plugins", jars.toArray(URL[]::new), parent);
  }
}
