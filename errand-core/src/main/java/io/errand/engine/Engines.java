package io.errand.engine;

import io.errand.api.Errand;

/**
 * The one way into the engine, for {@link Errand.Builder#build()}: this package is not exported
 * (module {@code io.errand.core}), and the engine itself is package-private. What it returns is
 * only an {@link Errand}; the engine's callbacks from its store are not reachable through it.
 */
public final class Engines {
  private Engines() {}

  /**
   * Opens the store and starts the workers.
   *
   * @throws io.errand.api.InvalidSpecException if the configuration is not usable
   */
  public static Errand start(EngineSettings settings) {
    return Engine.start(settings);
  }

  /**
   * Opens the store; the workers start at {@link Errand#start()}.
   *
   * @throws io.errand.api.InvalidSpecException if the configuration is not usable
   */
  public static Errand create(EngineSettings settings) {
    return Engine.create(settings);
  }
}
