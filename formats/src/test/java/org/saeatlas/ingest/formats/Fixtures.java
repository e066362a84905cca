package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;

/** Test fixtures (see src/test/resources/fixtures/README.md) and shared assertions. */
final class Fixtures {
    /** The 5 x 4 matrix every made-by-scipy file holds. */
    static final float[][] MATRIX = {
        {0, 1.5f, 0, 0},
        {2.0f, 0, 0, 0.25f},
        {0, 0, 0, 0},
        {0, 3.0f, 4.0f, 0},
        {0.5f, 0, 0, 1.0f},
    };

    private Fixtures() {
    }

    static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertIsMatrix(SparseActivations a) {
        assertEquals(5, a.tokens());
        assertEquals(4, a.featureCount());
        assertArrayEquals(new int[] {0, 1, 3, 3, 5, 7}, a.rowPtr());
        assertArrayEquals(new int[] {1, 0, 3, 1, 2, 0, 3}, a.features());
        assertArrayEquals(new float[] {1.5f, 2.0f, 0.25f, 3.0f, 4.0f, 0.5f, 1.0f}, a.values());
    }

    /** Asserts an AtlasException whose message contains every fragment (file, field, expected, found). */
    static AtlasException assertFails(Executable run, String... fragments) {
        AtlasException e = assertThrows(AtlasException.class, run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }
}
