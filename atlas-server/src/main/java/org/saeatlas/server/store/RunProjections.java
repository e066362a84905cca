package org.saeatlas.server.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.schema.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory projections of complete runs ({@link RunProjection}), built in the background from Neo4j and kept while
 * they fit a budget of edges (least recently used go first). A request asks for the run and revision Neo4j has just
 * named; until that projection is ready it reads through Cypher as before, so answers never wait for a build and
 * never come from anything Neo4j does not currently hold.
 */
public final class RunProjections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunProjections.class);

    /** Features read per statement while building (each statement returns their outgoing edges of the run). */
    static final int CHUNK = 8192;

    private final CypherExecutor cypher;
    private final long maxEdges;
    private final BackgroundBuilds builds;
    private final Map<String, RunProjection> ready = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    /** {@code maxEdges <= 0} disables projections: every read goes through Cypher. */
    public RunProjections(CypherExecutor cypher, long maxEdges) {
        this.cypher = cypher.withTimeout(Duration.ofMinutes(2));
        this.maxEdges = maxEdges;
        this.builds = new BackgroundBuilds("atlas-run-projection", LOG);
    }

    /**
     * The projection of {@code run} as Neo4j holds it now, or null when it is not ready (a build is then queued if it
     * fits the budget).
     */
    public RunProjection get(RunRef run, String relationship) {
        if (maxEdges <= 0 || run == null) {
            return null;
        }
        synchronized (ready) {
            RunProjection p = ready.get(run.id());
            if (p != null && p.revision() == run.revision() && Objects.equals(p.completedAt(), run.completedAt())) {
                return p;
            }
        }
        if (run.edgeCount() != null && run.edgeCount() > maxEdges) {
            return null;
        }
        queue(run, relationship);
        return null;
    }

    /** Queues builds for the newest complete runs that fit the budget (called when the server starts). */
    public void warm(RunReader reader) {
        if (maxEdges <= 0) {
            return;
        }
        long budget = maxEdges;
        for (Run r : reader.runs(null)) {
            String relationship = Vocabulary.relationshipOfRunKind(r.kind());
            Long edges = r.edgeCount();
            if (relationship == null || edges == null || edges > budget) {
                continue;
            }
            budget -= edges;
            queue(RunRef.of(r), relationship);
        }
    }

    /** Waits until no build is queued or running; true if that happened within {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return builds.awaitIdle(timeout);
    }

    /** Runs held and their edges (for the info endpoint and the benchmark). */
    public List<String> describe() {
        synchronized (ready) {
            List<String> out = new ArrayList<>();
            ready.values().forEach(p -> out.add(p.run() + " (" + p.edgeCount() + " edges)"));
            return out;
        }
    }

    private void queue(RunRef run, String relationship) {
        String key = run.id() + "@" + run.revision() + "@" + run.completedAt();
        if (!queued.add(key)) {
            return;
        }
        builds.submit("the projection of run " + run.id(), () -> {
            try {
                build(run, relationship);
            } finally {
                queued.remove(key);
            }
        }, () -> { });
    }

    private void build(RunRef asked, String relationship) {
        long t0 = System.nanoTime();
        List<Map<String, Object>> rows = cypher.read("""
                MATCH (r:Run {id: $id, status: $complete})
                RETURN coalesce(r.saes, [r.sae]) AS saes, coalesce(r.edgesRevision, 0) AS revision,
                       r.completedAt AS completedAt""", Map.of("id", asked.id(), "complete", Vocabulary.STATUS_COMPLETE));
        if (rows.isEmpty()) {
            return;
        }
        long revision = ((Number) rows.get(0).get("revision")).longValue();
        Object completedAt = rows.get(0).get("completedAt");
        RunProjection.Builder b = new RunProjection.Builder();
        @SuppressWarnings("unchecked")
        List<String> saes = (List<String>) rows.get(0).get("saes");
        String statement = """
                MATCH (a:Feature {sae: $sae}) WHERE a.index >= $lo AND a.index < $hi
                MATCH (a)-[e:%s {run: $run}]->(b:Feature)
                RETURN a.id AS a, elementId(a) AS ea, b.id AS b, elementId(b) AS eb, e {.*} AS e""".formatted(relationship);
        for (String sae : saes) {
            Map<String, Object> range = cypher.read("MATCH (f:Feature {sae: $sae}) RETURN max(f.index) AS hi",
                    Map.of("sae", sae)).get(0);
            long hi = range.get("hi") == null ? -1 : ((Number) range.get("hi")).longValue();
            for (long lo = 0; lo <= hi; lo += CHUNK) {
                for (Map<String, Object> row : cypher.read(statement, Map.of("sae", sae, "lo", lo, "hi", lo + CHUNK,
                        "run", asked.id()))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e = (Map<String, Object>) row.get("e");
                    b.add((String) row.get("a"), (String) row.get("ea"), (String) row.get("b"), (String) row.get("eb"), e);
                }
                if (b.edges() > maxEdges) {
                    LOG.info("run {} has more than {} edges: its reads stay on Cypher", asked.id(), maxEdges);
                    return;
                }
            }
        }
        RunProjection p = b.build(asked.id(), revision, completedAt);
        synchronized (ready) {
            ready.remove(asked.id());
            ready.put(asked.id(), p);
            long heldEdges = ready.values().stream().mapToLong(RunProjection::edgeCount).sum();
            Iterator<RunProjection> oldest = ready.values().iterator();
            while (heldEdges > maxEdges && oldest.hasNext()) {
                RunProjection evicted = oldest.next();
                if (evicted != p) {
                    heldEdges -= evicted.edgeCount();
                    oldest.remove();
                }
            }
        }
        LOG.info("run {}: {} edges over {} features projected in memory in {} ms", p.run(), p.edgeCount(),
                p.nodeCount(), (System.nanoTime() - t0) / 1_000_000);
    }

    static long revisionOf(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        builds.close();
    }
}
