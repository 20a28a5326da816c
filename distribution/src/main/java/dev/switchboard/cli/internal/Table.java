package dev.switchboard.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row, then rows, each column as wide as its widest cell, separated by
 * two spaces; no line ends in spaces.
 *
 * <p>Not thread-safe: built and rendered by one command.
 */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have one cell per column. */
  Table add(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "cells: " + cells.length + " (expected: " + header.size() + ", one per column)");
    }
    rows.add(List.of(cells));
    return this;
  }

  /** Returns the table, one line per row, each ending with a line feed. */
  String render() {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = row.get(i);
        line.append(cell).append(" ".repeat(widths[i] - cell.length() + 2));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
