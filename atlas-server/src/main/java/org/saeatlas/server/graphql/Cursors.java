package org.saeatlas.server.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.saeatlas.errors.AtlasException;

/** Opaque Relay cursors: base64 of {@code <kind>:<offset>}. A cursor of another kind or a broken one is an error. */
final class Cursors {

    static final int MAX_PAGE = 100;

    private Cursors() {
    }

    static String encode(String kind, long offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset after {@code cursor} (0 when null). */
    static long offsetAfter(String kind, String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!s.startsWith(kind + ":")) {
                throw new IllegalArgumentException();
            }
            long offset = Long.parseLong(s.substring(kind.length() + 1));
            if (offset < 0) {
                throw new IllegalArgumentException();
            }
            return offset + 1;
        } catch (IllegalArgumentException e) {
            throw new AtlasException("after: '" + cursor + "' is not a cursor of this list (pass an endCursor or"
                    + " cursor this field returned)");
        }
    }

    static int pageSize(Integer first) {
        int n = first == null ? 20 : first;
        if (n < 0 || n > MAX_PAGE) {
            throw new AtlasException("first: expected 0.." + MAX_PAGE + ", found " + n);
        }
        return n;
    }
}
