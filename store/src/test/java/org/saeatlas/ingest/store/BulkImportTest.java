package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.store.SyntheticAtlas;

class BulkImportTest {

    /** Explanations of every feature of {@code base}'s SAE, the first {@code wide} with 4-d embeddings, the rest 3-d. */
    private static BulkImport.Content withEmbeddings(BulkImport.Content base, int wide) {
        List<Rows.ExplanationRow> rows = new java.util.ArrayList<>();
        for (int f = 0; f < base.features().get(SyntheticAtlas.SAE).size(); f++) {
            rows.add(new Rows.ExplanationRow(f, "text " + f, "test", 1.0, new float[f < wide ? 4 : 3]));
        }
        return new BulkImport.Content(base.models(), base.saes(), base.features(), Map.of(SyntheticAtlas.SAE, rows),
                base.examples(), base.runs());
    }

    @Test
    void embeddingsOfTwoDimensionsAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        BulkImport.Content base = SyntheticAtlas.generate(8, 10, 1L);
        assertEquals(3, BulkImport.embeddingDimension(withEmbeddings(base, 0)));
        assertEquals(0, BulkImport.embeddingDimension(base));
        Path home = dir.resolve("neo4j");
        AtlasException e = assertThrows(AtlasException.class, () -> BulkImport.into(home, withEmbeddings(base, 2),
                new ProgressPrinter(new PrintStream(OutputStream.nullOutputStream()))));
        assertTrue(e.getMessage().contains("{3=[bench-sae], 4=[bench-sae]}"), e.getMessage());
        assertTrue(BulkImport.isNew(home));
        assertFalse(Files.exists(dir.resolve("neo4j.importing")), "no staging folder");
    }

}
