package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.List;
import org.saeatlas.schema.Vocabulary;

/**
 * Runs, their community analyses and the comparisons of their graphs. The API shows complete runs only, except the
 * catalogue's list of every run of an SAE with its status.
 */
public final class RunReader {

    private final ReadStatements db;

    public RunReader(ReadStatements db) {
        this.db = db;
    }

    /** Complete runs, on one SAE (or joining it to another) unless {@code sae} is null; by SAE, kind, newest first. */
    public List<Run> runs(String sae) {
        return db.column("""
                MATCH (r:Run {status: $complete}) WHERE $sae IS NULL OR r.sae = $sae OR $sae IN coalesce(r.saes, [])
                RETURN r {.*} AS r ORDER BY r.sae, r.kind, r.completedAt DESC""",
                params("sae", sae, "complete", Vocabulary.STATUS_COMPLETE), "r").stream().map(Run::of).toList();
    }

    /** A complete run, or null. */
    public Run run(String id) {
        return db.column("MATCH (r:Run {id: $id, status: $complete}) RETURN r {.*} AS r",
                params("id", id, "complete", Vocabulary.STATUS_COMPLETE), "r").stream().map(Run::of).findFirst()
                .orElse(null);
    }

    /**
     * Every run on {@code sae} (or joining it to another SAE) whatever its status (complete, loading, or failed and
     * left behind), for the catalogue: complete ones first, then by kind and age.
     */
    public List<Run> everyRunOf(String sae) {
        return db.column("""
                MATCH (r:Run) WHERE r.sae = $sae OR $sae IN coalesce(r.saes, [])
                RETURN r {.*} AS r
                ORDER BY CASE r.status WHEN $complete THEN 0 ELSE 1 END, r.kind, r.completedAt DESC, r.id""",
                params("sae", sae, "complete", Vocabulary.STATUS_COMPLETE), "r").stream().map(Run::of).toList();
    }

    /** Complete analyses of a run, newest first. */
    public List<Analysis> analyses(String run) {
        return db.column("""
                MATCH (a:Analysis {run: $run, status: $complete}) RETURN a {.*} AS a ORDER BY a.completedAt DESC, a.id""",
                params("run", run, "complete", Vocabulary.STATUS_COMPLETE), "a").stream().map(Analysis::of).toList();
    }

    /** Comparisons, of one run (as either side) unless {@code run} is null, newest first. */
    public List<Comparison> comparisons(String run) {
        return db.column("""
                MATCH (c:Comparison) WHERE $run IS NULL OR c.runA = $run OR c.runB = $run
                RETURN c {.*} AS c ORDER BY c.createdAt DESC, c.id""", params("run", run), "c").stream()
                .map(Comparison::of).toList();
    }
}
