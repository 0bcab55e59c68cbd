package io.errand.jdbc;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Whether a store is open, written once for every SQL store: what {@code open} made is
 * published whole through one volatile field; before it, and after {@code close}, every use is
 * refused with an {@link IllegalStateException} naming the store.
 *
 * @param <T> what an open store works with (its connections, threads and statements)
 */
public final class OpenState<T> {
  private final String name;
  private final String reopen;
  private final Object lock = new Object();
  private volatile T opened;
  private volatile boolean closed;

  /**
   * The state of store {@code name} (e.g. {@code "the SQLite store data/errand.db"});
   * {@code reopen} says what to do instead of opening it twice.
   */
  public OpenState(String name, String reopen) {
    this.name = Objects.requireNonNull(name, "name");
    this.reopen = Objects.requireNonNull(reopen, "reopen");
  }

  /**
   * Makes the open store with {@code open} and publishes it; if {@code open} throws, the store
   * stays unopened and may be opened again.
   *
   * @throws IllegalStateException if it was opened (or closed) before
   */
  public T open(Supplier<T> open) {
    synchronized (lock) {
      if (opened != null || closed) {
        throw new IllegalStateException(name + " was opened already; " + reopen);
      }
      T made = Objects.requireNonNull(open.get(), "open");
      opened = made;
      return made;
    }
  }

  /**
   * The open store.
   *
   * @throws IllegalStateException if it is not open yet, or closed
   */
  public T get() {
    T o = opened;
    if (o == null || closed) {
      throw new IllegalStateException(name + " is " + (closed ? "closed" : "not open yet"));
    }
    return o;
  }

  /** The open store, or null if it was never opened; closed or not. */
  public T orNull() {
    return opened;
  }

  /**
   * Marks the store closed and, if it was opened, releases it with {@code release}, once.
   * Harmless twice, and before an open (which is then refused).
   */
  public void close(Consumer<T> release) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (opened != null) {
        release.accept(opened);
      }
    }
  }
}
