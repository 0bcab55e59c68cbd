package io.errand.server.plugin;

import io.errand.common.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link ServerPlugin}s a class loader provides, found with {@link ServiceLoader}. */
public final class InstalledPlugins {
  private InstalledPlugins() {}

  /**
   * Every plugin {@code loader} provides, sorted by name, each once.
   *
   * @throws SettingException at {@code plugins_dir} when a plugin cannot be loaded, or two
   *     different plugins share a name
   */
  public static List<ServerPlugin> of(ClassLoader loader) {
    TreeMap<String, ServerPlugin> found = new TreeMap<>();
    try {
      for (ServerPlugin p : ServiceLoader.load(ServerPlugin.class, loader)) {
        ServerPlugin before = found.putIfAbsent(p.name(), p);
        if (before != null && before.getClass() != p.getClass()) {
          throw new SettingException("plugins_dir", "two plugins are named '" + p.name()
              + "': " + before.getClass().getName() + " and " + p.getClass().getName()
              + "; remove one of the jars");
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new SettingException("plugins_dir", "a plugin could not be loaded: "
          + e.getMessage());
    }
    return List.copyOf(new ArrayList<>(found.values()));
  }
}
