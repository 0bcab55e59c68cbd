package io.errand.server.config;

import io.errand.api.Backoff;
import io.errand.api.QueueSpec;
import io.errand.api.RestartPolicy;
import io.errand.api.StopTimeouts;
import io.errand.server.config.ServerConfig.SupervisorConfig;
import java.time.Duration;
import java.util.List;

/**
 * Reads one supervisor's block: its handler, {@code restart} policy, staged {@code stop}
 * time-outs and {@code heartbeat_timeout}. Left-out keys take the defaults of
 * {@link io.errand.api.SupervisorSpec#builder}; values are checked with the rules of
 * {@link RestartPolicy} and {@link StopTimeouts}.
 */
final class SupervisorReader {
  static final List<String> KEYS =
      List.of("handler", "options", "restart", "stop", "heartbeat_timeout", "threads");
  static final List<String> RESTART_KEYS = List.of("mode", "backoff", "budget", "window");
  static final List<String> STOP_KEYS = List.of("graceful", "forced", "last");

  private SupervisorReader() {}

  /** The supervisor {@code name} described by {@code s}. */
  static SupervisorConfig read(String name, ConfigNode s) {
    if (!s.isSet()) {
      throw s.error("is empty; a supervisor needs at least a handler, e.g. {handler: exec}");
    }
    s.allowOnly(KEYS);
    String handler = s.get("handler").requireText("the name of the handler each key runs, e.g."
        + " exec, git-sync or a Java class name");
    RestartPolicy restart = restart(s.get("restart"));
    StopTimeouts stop = stop(s.get("stop"));
    Duration heartbeat = s.get("heartbeat_timeout").duration(null, false).orElse(null);
    QueueSpec.Threads threads =
        s.get("threads").choice(QueueSpec.Threads.class).orElse(QueueSpec.Threads.VIRTUAL);
    return new SupervisorConfig(name, s.path(), handler.strip(), s.get("options").raw(), restart,
        stop, heartbeat, threads);
  }

  private static RestartPolicy restart(ConfigNode r) {
    RestartPolicy dflt = RestartPolicy.onFailure();
    if (!r.isSet()) {
      return dflt;
    }
    r.allowOnly(RESTART_KEYS);
    RestartPolicy.Mode mode = r.get("mode").choice(RestartPolicy.Mode.class).orElse(dflt.mode());
    Backoff backoff = BackoffReader.read(r.get("backoff"), dflt.backoff());
    int budget = r.get("budget").integer(1, Integer.MAX_VALUE).orElse(dflt.budget());
    Duration window = r.get("window").duration(null, false).orElse(dflt.window());
    return new RestartPolicy(mode, backoff, budget, window);
  }

  private static StopTimeouts stop(ConfigNode st) {
    StopTimeouts d = StopTimeouts.DEFAULTS;
    if (!st.isSet()) {
      return d;
    }
    st.allowOnly(STOP_KEYS);
    return new StopTimeouts(
        st.get("graceful").duration(null, true).orElse(d.graceful()),
        st.get("forced").duration(null, true).orElse(d.forced()),
        st.get("last").duration(null, true).orElse(d.last()));
  }
}
