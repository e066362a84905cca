package org.saeatlas.server.store;

import java.util.List;
import java.util.Map;
import org.saeatlas.schema.Vocabulary;

/**
 * The runs of an SAE whatever their status (complete, loading, or failed and left behind), for the catalogue: the
 * API otherwise shows complete runs only.
 */
public final class RunStatusReader {

    private final AtlasReader reader;

    public RunStatusReader(AtlasReader reader) {
        this.reader = reader;
    }

    /** Every run on {@code sae} (or joining it to another SAE), complete ones first, then by kind and age. */
    public List<Map<String, Object>> runsOf(String sae) {
        return reader.query("""
                MATCH (r:Run) WHERE r.sae = $sae OR $sae IN coalesce(r.saes, [])
                RETURN r {.*} AS r
                ORDER BY CASE r.status WHEN $complete THEN 0 ELSE 1 END, r.kind, r.completedAt DESC, r.id""",
                Map.of("sae", sae, "complete", Vocabulary.STATUS_COMPLETE)).stream()
                .map(row -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> run = (Map<String, Object>) row.get("r");
                    return run;
                }).toList();
    }
}
