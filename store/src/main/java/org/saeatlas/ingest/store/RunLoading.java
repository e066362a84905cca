package org.saeatlas.ingest.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.schema.Vocabulary;

/**
 * The atlas's one run-loading protocol, for every kind of run (edge runs, imported graphs, match and connection runs)
 * and for community analyses: <b>begin</b> the node as {@code loading} (created once, identified by content),
 * <b>clear the leftovers</b> of an interrupted load in bounded transactions, <b>write</b> in bounded batches, and
 * <b>mark it complete</b>. Readers see only complete runs, so a load killed at any point leaves nothing visible and
 * the next load of the same id clears what it left and writes it again; loading a complete one is a no-op.
 *
 * <p>Everything goes through {@link CypherExecutor}: in-process on an embedded database, over Bolt on a server.
 * Batches are {@link #BATCH} rows (units) a transaction unless the caller says otherwise.
 */
public final class RunLoading {

    /** Rows (or units, e.g. memberships) per transaction by default. */
    public static final int BATCH = 10_000;

    private final CypherExecutor cypher;
    private final Progress progress;
    private final int batch;

    public RunLoading(CypherExecutor cypher, Progress progress) {
        this(cypher, progress, BATCH);
    }

    public RunLoading(CypherExecutor cypher, Progress progress, int batch) {
        if (batch < 1) {
            throw new AtlasException("batch size: expected at least 1 row, found " + batch);
        }
        this.cypher = cypher;
        this.progress = progress;
        this.batch = batch;
    }

    public int batch() {
        return batch;
    }

    /**
     * Begins loading node {@code (:label {id})}. {@code merge} MERGEs it, sets {@code status = $loading} (and its
     * provenance) ON CREATE only, and returns its {@code status}; it gets {@code $id} and {@code $loading} on top of
     * {@code params}. No row means what the node hangs on is missing: the load fails with {@code missing}'s message.
     */
    public Load begin(String label, String id, String merge, Map<String, Object> params, Supplier<String> missing) {
        Map<String, Object> p = new HashMap<>(params);
        p.put("id", id);
        p.put("loading", Vocabulary.STATUS_LOADING);
        List<Map<String, Object>> rows = cypher.write(merge, p);
        if (rows.isEmpty()) {
            throw new AtlasException(missing.get());
        }
        return new Load(label, id, (String) rows.get(0).get("status"));
    }

    /** One node being loaded (or found complete). */
    public final class Load {
        private final String label;
        private final String id;
        private final String status;

        private Load(String label, String id, String status) {
            this.label = label;
            this.id = id;
            this.status = status;
        }

        public String id() {
            return id;
        }

        /** Whether it was complete before this load began: nothing is to be written. */
        public boolean alreadyComplete() {
            return Vocabulary.STATUS_COMPLETE.equals(status);
        }

        /** The stored node's properties (for the summary of a load that found it complete). */
        public Map<String, Object> stored() {
            List<Map<String, Object>> rows = cypher.read("MATCH (n:" + label + " {id: $id}) RETURN n", Map.of("id", id));
            @SuppressWarnings("unchecked")
            Map<String, Object> n = rows.isEmpty() ? Map.of() : (Map<String, Object>) rows.get(0).get("n");
            return n;
        }

        /** Deletes the leftover relationships of these types that carry {@code run = id}; returns how many. */
        public long clearEdges(List<String> types) {
            long n = deleteEdges(cypher, id, types, batch, Progress.NONE);
            if (n > 0) {
                progress.update("cleared interrupted load " + id, n, n);
            }
            return n;
        }

        /**
         * Deletes leftovers with {@code statement}, which takes {@code $id} and {@code $batch}, changes at most
         * {@code $batch} of them and returns how many as {@code n}; repeated until a round changes fewer.
         */
        public long clear(String statement) {
            long n = inBatches(cypher, batch, statement, Map.of("id", id), (total, round) -> { });
            if (n > 0) {
                progress.update("cleared interrupted load " + id, n, n);
            }
            return n;
        }

        /** Marks it complete (visible) with these properties set in the same transaction. */
        public void complete(Map<String, Object> properties) {
            cypher.write("MATCH (n:" + label + " {id: $id}) SET n += $props, n.status = $complete,"
                    + " n.completedAt = toString(datetime())", Map.of("id", id, "props", properties,
                    "complete", Vocabulary.STATUS_COMPLETE));
        }
    }

    /**
     * Writes {@code rows} in transactions of about {@link #batch()} units ({@code weight}: a row's units, at least
     * one), each with {@code statement}: the batch's rows as {@code toRow} makes them in {@code $rows}, plus
     * {@code extra}. Progress under {@code stage}.
     */
    public <T> void write(String stage, List<T> rows, String statement, Map<String, Object> extra,
                          Function<T, Object> toRow, ToIntFunction<T> weight) {
        progress.update(stage, 0, rows.size());
        int from = 0;
        while (from < rows.size()) {
            List<Object> slice = new ArrayList<>();
            int units = 0;
            int to = from;
            while (to < rows.size() && (slice.isEmpty() || units < batch)) {
                slice.add(toRow.apply(rows.get(to)));
                units += Math.max(1, weight.applyAsInt(rows.get(to)));
                to++;
            }
            Map<String, Object> params = new HashMap<>(extra);
            params.put("rows", slice);
            cypher.write(statement, params);
            from = to;
            progress.update(stage, from, rows.size());
        }
    }

    /** {@link #write(String, List, String, Map, Function, ToIntFunction)} with one unit a row. */
    public <T> void write(String stage, List<T> rows, String statement, Map<String, Object> extra,
                          Function<T, Object> toRow) {
        write(stage, rows, statement, extra, toRow, r -> 1);
    }

    /** {@code rows} in transactions of {@link #batch()} rows, each written by {@code writer}; progress under {@code stage}. */
    public <T> void write(String stage, List<T> rows, Consumer<List<T>> writer) {
        progress.update(stage, 0, rows.size());
        long[] done = {0};
        writeBatches(rows, writer, n -> progress.update(stage, done[0] += n, rows.size()));
    }

    /**
     * {@code rows} in transactions of {@link #batch()} rows each written by {@code writer}, telling
     * {@code written} each committed batch's size (for callers that write several buckets concurrently).
     */
    public <T> void writeBatches(List<T> rows, Consumer<List<T>> writer, IntConsumer written) {
        for (int from = 0; from < rows.size(); from += batch) {
            List<T> slice = rows.subList(from, Math.min(rows.size(), from + batch));
            writer.accept(slice);
            written.accept(slice.size());
        }
    }

    /** Deletes the relationships of these types with {@code run = runId} in bounded transactions; returns how many. */
    static long deleteEdges(CypherExecutor cypher, String runId, List<String> types, int batch, Progress progress) {
        long deleted = 0;
        for (String type : types) {
            long before = deleted;
            deleted += inBatches(cypher, batch, "MATCH ()-[e:%s {run: $run}]->() WITH e LIMIT $batch DELETE e"
                    .formatted(type) + " RETURN count(*) AS n", Map.of("run", runId),
                    (done, round) -> {
                        if (round > 0) {
                            progress.update("edges of " + runId, before + done, before + done);
                        }
                    });
        }
        return deleted;
    }

    /** What {@link #inBatches} reports after each round. */
    @FunctionalInterface
    interface Rounds {
        void accept(long total, long round);
    }

    /**
     * Runs {@code statement} (which takes {@code $batch} and returns {@code n}, how many it changed) until a round
     * changes fewer than {@code batch}; {@code after} hears the running total and the round's count after each
     * round. Returns the total.
     */
    static long inBatches(CypherExecutor cypher, int batch, String statement, Map<String, Object> params,
                          Rounds after) {
        Map<String, Object> p = new HashMap<>(params);
        p.put("batch", batch);
        long total = 0;
        long n;
        do {
            n = ((Number) cypher.write(statement, p).get(0).get("n")).longValue();
            total += n;
            after.accept(total, n);
        } while (n == batch);
        return total;
    }
}
