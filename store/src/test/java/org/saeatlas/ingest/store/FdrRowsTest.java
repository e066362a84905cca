package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.fdr.FdrTable;

/** The FDR table as runs store it: connection runs four columns, dependence runs also indirect share and total. */
class FdrRowsTest {

    @Test
    void connectionRunsStoreFourColumnsAndDependenceRunsSix() {
        // 3 trials; observed edges seen in 1, 1, 2, 3 trials; null edges in 1, 1 trials
        FdrTable table = FdrTable.of(new int[] {1, 1, 2, 3}, new int[] {1, 1}, 3, 0.1);
        List<Map<String, Object>> four = Rows.fdrRows(table, false);
        List<Map<String, Object>> six = Rows.fdrRows(table, true);
        assertEquals(table.rows().size(), four.size());
        for (int i = 0; i < four.size(); i++) {
            FdrTable.Row r = table.rows().get(i);
            assertEquals(List.of("r", "observed", "expectedNull", "fdrEstimate"), List.copyOf(four.get(i).keySet()));
            assertEquals(List.of("r", "observed", "expectedNull", "fdrEstimate", "indirectShare", "totalError"),
                    List.copyOf(six.get(i).keySet()));
            assertEquals(r.r(), four.get(i).get("r"));
            assertEquals(r.observed(), four.get(i).get("observed"));
            assertEquals(Double.isFinite(r.fdrEst()) ? r.fdrEst() : null, four.get(i).get("fdrEstimate"));
            assertNull(six.get(i).get("indirectShare"), "no planted twin: the indirect share is not estimated");
        }
        // r = 1: 4 observed edges, 2 null edges seen in >= 1 of 3 trials
        assertEquals(4L, ((Number) four.get(0).get("observed")).longValue());
    }
}
