package io.errand.server.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row, columns as wide as their widest cell, two spaces apart,
 * numeric columns aligned right. Cells are single lines; callers shorten long ones.
 */
public final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  /** A table with these column headers, every column aligned left. */
  public Table(String... headers) {
    this.headers = headers.clone();
    this.right = new boolean[headers.length];
  }

  /** Aligns the columns at {@code columns} (0-based) to the right. */
  Table alignRight(int... columns) {
    for (int c : columns) {
      right[c] = true;
    }
    return this;
  }

  /** Adds a row; a null cell prints as {@link Format#NONE}. */
  public void row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
          + headers.length + " columns");
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cells[i] == null ? Format.NONE : Format.oneLine(String.valueOf(cells[i]));
    }
    rows.add(row);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The header and the rows, each without trailing spaces. */
  public List<String> lines() {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = columns(headers[i]);
      for (String[] r : rows) {
        widths[i] = Math.max(widths[i], columns(r[i]));
      }
    }
    List<String> out = new ArrayList<>(rows.size() + 1);
    out.add(line(headers, widths));
    rows.forEach(r -> out.add(line(r, widths)));
    return out;
  }

  private String line(String[] cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append("  ");
      }
      String pad = " ".repeat(widths[i] - columns(cells[i]));
      b.append(right[i] ? pad + cells[i] : cells[i] + pad);
    }
    return b.toString().stripTrailing();
  }

  /**
   * How many terminal columns {@code text} takes: two for each wide character (CJK ideographs,
   * kana, Hangul, full-width forms, emoji), so that a label such as 示例任务 keeps the columns
   * after it in line.
   */
  static int columns(String text) {
    return text.codePoints().map(c -> isWide(c) ? 2 : 1).sum();
  }

  private static boolean isWide(int c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F)
        || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
        || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
        || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
  }
}
