package io.errand.server.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Whether output goes to a terminal, how large it is, and the ANSI sequences that redraw in
 * place. Anything that is not clearly a terminal (a pipe, a file, CI, {@code TERM=dumb}) gets
 * plain text, since escape sequences there are noise.
 */
public final class Terminal {
  /** Control Sequence Introducer. */
  static final String CSI = "\u001b[";
  /** Erases from the cursor to the end of the screen. */
  static final String CLEAR_DOWN = CSI + "J";
  /** Erases from the cursor to the end of the line. */
  static final String CLEAR_LINE = CSI + "K";

  /** What a terminal whose size cannot be read is taken to be. */
  static final int DEFAULT_ROWS = 24;
  static final int DEFAULT_COLUMNS = 80;

  private final boolean interactive;
  private final int rows;
  private final int columns;

  private Terminal(boolean interactive, int rows, int columns) {
    this.interactive = interactive;
    this.rows = rows;
    this.columns = columns;
  }

  /** This process's terminal, or a plain one when standard input or output is not a terminal. */
  public static Terminal detect() {
    if (!isTerminal() || "dumb".equals(System.getenv("TERM"))) {
      return plain();
    }
    int[] size = size();
    return new Terminal(true, size[0], size[1]);
  }

  /** Output that is not a terminal. */
  static Terminal plain() {
    return new Terminal(false, DEFAULT_ROWS, DEFAULT_COLUMNS);
  }

  /** Whether output may move the cursor and redraw. */
  boolean interactive() {
    return interactive;
  }

  int rows() {
    return rows;
  }

  int columns() {
    return columns;
  }

  /** Moves the cursor up {@code n} lines, to the first column. */
  static String up(int n) {
    return CSI + n + "A\r";
  }

  /**
   * Java 22 and later return a console even when the output is redirected, and tell with
   * {@code Console.isTerminal()}; Java 21 has no such method but returns a console only on a
   * terminal. The method is looked up at run time because the code is built for Java 21.
   */
  private static boolean isTerminal() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }

  /** Rows and columns: {@code LINES}/{@code COLUMNS}, else {@code stty size}, else 24x80. */
  private static int[] size() {
    int rows = positive(System.getenv("LINES"));
    int columns = positive(System.getenv("COLUMNS"));
    if (rows == 0 || columns == 0) {
      int[] stty = stty();
      rows = rows == 0 ? stty[0] : rows;
      columns = columns == 0 ? stty[1] : columns;
    }
    return new int[] {rows == 0 ? DEFAULT_ROWS : rows, columns == 0 ? DEFAULT_COLUMNS : columns};
  }

  /** The terminal's size from {@code stty size}, which reads it from /dev/tty; 0 when unknown. */
  private static int[] stty() {
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return new int[2];
      }
      String[] parts = out.strip().split("\\s+");
      return parts.length == 2 ? new int[] {positive(parts[0]), positive(parts[1])} : new int[2];
    } catch (IOException e) {
      return new int[2];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new int[2];
    }
  }

  private static int positive(String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(s.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
