package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BulkImportTest {

    @Test
    void importerTimeIsReadFromItsLog() {
        assertEquals(12.212, BulkImport.importerSeconds("...\nIMPORT DONE in 12s 212ms. \nImported:\n"), 1e-9);
        assertEquals(62.005, BulkImport.importerSeconds("IMPORT DONE in 1m 2s 5ms. "), 1e-9);
        assertEquals(0.917, BulkImport.importerSeconds("IMPORT DONE in 917ms."), 1e-9);
        assertTrue(Double.isNaN(BulkImport.importerSeconds("no summary")));
    }
}
