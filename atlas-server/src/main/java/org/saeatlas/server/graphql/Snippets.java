package org.saeatlas.server.graphql;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Highlighted snippets of search hits: the explanation text HTML-escaped, with words that match a query term
 * (exactly, or by prefix for {@code term*} and fuzzy terms) wrapped in {@code <mark>}.
 */
final class Snippets {

    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{N}_']+\\*?");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_']+");
    private static final Set<String> OPERATORS = Set.of("and", "or", "not", "to");

    private Snippets() {
    }

    static String highlight(String text, String query) {
        Set<String> exact = new LinkedHashSet<>();
        Set<String> prefixes = new LinkedHashSet<>();
        Matcher q = TERM.matcher(query.replaceAll("~[0-9.]*", "*"));
        while (q.find()) {
            String t = q.group().toLowerCase(Locale.ROOT);
            if (t.endsWith("*")) {
                prefixes.add(t.substring(0, t.length() - 1));
            } else if (!OPERATORS.contains(t)) {
                exact.add(t);
            }
        }
        StringBuilder out = new StringBuilder();
        Matcher w = WORD.matcher(text);
        int at = 0;
        while (w.find()) {
            out.append(escape(text.substring(at, w.start())));
            String word = w.group();
            String lower = word.toLowerCase(Locale.ROOT);
            boolean hit = exact.contains(lower) || prefixes.stream().anyMatch(p -> !p.isEmpty() && lower.startsWith(p));
            out.append(hit ? "<mark>" + escape(word) + "</mark>" : escape(word));
            at = w.end();
        }
        out.append(escape(text.substring(at)));
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
