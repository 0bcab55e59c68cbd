package io.errand.server.handler;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of the server's environment variables that hold its own secrets, which the programs
 * tasks run must not get by accident: {@code ERRAND_TOKEN} always, the variables behind the
 * config file's secrets ({@code server.token}, credentials in webhook URLs), and those that
 * handlers mark while they are created ({@link HandlerSettings#markSecret(String)}: http
 * headers, git-sync credentials, exec {@code env} entries written as {@code {secret: ...}}).
 *
 * <p>One instance is shared by all handlers of a server. It is complete once every handler is
 * created, before any task runs, so handlers read it when a task runs rather than when they are
 * created. Only names are held here, never values.
 */
public final class SecretEnv {
  /** The variable the API token is conventionally in: a secret whether the config reads it. */
  public static final String TOKEN = "ERRAND_TOKEN";

  private final Set<String> names = ConcurrentHashMap.newKeySet();

  /** {@link #TOKEN} and nothing else yet. */
  public SecretEnv() {
    names.add(TOKEN);
  }

  /** {@link #TOKEN} and {@code names}. */
  public SecretEnv(Collection<String> names) {
    this();
    addAll(names);
  }

  /** Counts variable {@code name} among the secrets. */
  public void add(String name) {
    names.add(Objects.requireNonNull(name, "name"));
  }

  /** Counts every variable of {@code names} among the secrets. */
  public void addAll(Collection<String> names) {
    names.forEach(this::add);
  }

  /** Whether variable {@code name} holds a secret of the server. */
  public boolean contains(String name) {
    return names.contains(name);
  }

  /** The secret variables' names now. */
  public Set<String> names() {
    return Set.copyOf(names);
  }

  @Override
  public String toString() {
    return "SecretEnv" + names();
  }
}
