package org.saeatlas.ingest.formats;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: comma separated, double-quoted fields may hold commas, quotes ("") and line breaks. */
final class Csv {
    private Csv() {
    }

    /** The records of {@code text}, each with the 1-based line it starts on. */
    static List<Row> parse(Object file, String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean quoted = false;
        boolean any = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || cur.length() > 0) {
                    fields.add(cur.toString());
                    rows.add(new Row(rowLine, List.copyOf(fields)));
                }
                fields.clear();
                cur.setLength(0);
                any = false;
                line++;
                rowLine = line;
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw FormatError.of(file, "line " + rowLine, "a closing quote", "end of file inside a quoted field");
        }
        if (any || cur.length() > 0) {
            fields.add(cur.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }

    record Row(int line, List<String> fields) {
    }
}
