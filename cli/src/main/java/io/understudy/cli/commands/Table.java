package io.understudy.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** An aligned text table like {@code kubectl get} prints: upper-case headers, columns three spaces apart. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private String indent = "";
    private boolean header = true;

    public Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    public Table indent(String prefix) {
        this.indent = prefix;
        return this;
    }

    /** Label/value lines: the (blank) header row is not printed. */
    public Table noHeader() {
        this.header = false;
        return this;
    }

    public Table row(Object... cells) {
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            Object c = i < cells.length ? cells[i] : null;
            // One row per line whatever the server sends, so grep and awk keep working.
            String text = c == null ? "" : c.toString().replaceAll("[\\r\\n\\t]+", " ").strip();
            // An empty cell would shift the columns seen by awk; "-" keeps them.
            r[i] = text.isEmpty() ? "-" : text;
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.size() == 1;
    }

    public void print(PrintWriter out) {
        int[] width = new int[columns];
        List<String[]> shown = header ? rows : rows.subList(1, rows.size());
        for (String[] r : shown) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : shown) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) line.append(" ".repeat(width[i] - r[i].length() + 3));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
