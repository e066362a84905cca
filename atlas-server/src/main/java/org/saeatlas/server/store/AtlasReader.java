package org.saeatlas.server.store;

import java.time.Duration;
import org.saeatlas.ingest.db.CypherExecutor;

/**
 * Every read the server does, by area: one reader per area, each returning records, all over one
 * {@link ReadStatements} (read-only transactions with a timeout; the Core API for the hot reads on the in-process
 * database). This class only holds them: the Cypher lives in the readers. Edge reads that may come from a run's
 * in-memory projection go through {@link EdgeReads}, which uses {@link #neighbours()} otherwise.
 */
public final class AtlasReader {

    private final ReadStatements statements;
    private final CatalogueReader catalogue;
    private final RunReader runs;
    private final FeatureReader features;
    private final SearchReader search;
    private final CommunityReader communities;
    private final NeighbourReader neighbours;
    private final ConnectionReader connections;
    private final CompareReader compare;
    private final SaeStatsReader saeStats;

    /** A reader that searches with Neo4j's full-text index only. */
    public AtlasReader(CypherExecutor cypher, Duration timeout) {
        this(cypher, timeout, null);
    }

    /** A reader that searches with {@code index} whenever it is built for what Neo4j holds (null: never). */
    public AtlasReader(CypherExecutor cypher, Duration timeout, ExplanationIndex index) {
        this(cypher, timeout, index, true);
    }

    /**
     * {@code coreReads}: on the in-process database, read features, explanations, examples and runs through the Core
     * API (the server's default; {@code atlas.core-reads=false} turns it off to compare); Bolt always reads with Cypher.
     */
    public AtlasReader(CypherExecutor cypher, Duration timeout, ExplanationIndex index, boolean coreReads) {
        this.statements = new ReadStatements(cypher, timeout, coreReads);
        this.catalogue = new CatalogueReader(statements);
        this.runs = new RunReader(statements);
        this.features = new FeatureReader(statements);
        this.search = new SearchReader(statements, index);
        this.communities = new CommunityReader(statements);
        this.neighbours = new NeighbourReader(statements);
        this.connections = new ConnectionReader(statements, neighbours);
        this.compare = new CompareReader(statements, catalogue, runs);
        this.saeStats = new SaeStatsReader(statements);
    }

    /** The statements every reader runs (read-only; counted). */
    public ReadStatements statements() {
        return statements;
    }

    /** Models and SAEs, and an SAE's error tokens and error comparisons. */
    public CatalogueReader catalogue() {
        return catalogue;
    }

    /** Runs, their analyses and comparisons. */
    public RunReader runs() {
        return runs;
    }

    /** Features, explanations, examples, similar features. */
    public FeatureReader features() {
        return features;
    }

    /** Search over explanations (text and hybrid). */
    public SearchReader search() {
        return search;
    }

    /** Communities and components, their members and edges. */
    public CommunityReader communities() {
        return communities;
    }

    /** Edge reads in Cypher for one {@link NeighbourQuery}: run resolution, neighbours, edges around, paths. */
    public NeighbourReader neighbours() {
        return neighbours;
    }

    /** Formulas, linearity, linear shares and paths across layers of connection runs. */
    public ConnectionReader connections() {
        return connections;
    }

    /** Two SAEs or runs side by side. */
    public CompareReader compare() {
        return compare;
    }

    /** Distributions of per-feature statistics over an SAE. */
    public SaeStatsReader saeStats() {
        return saeStats;
    }

    /** Whether the hot reads (features, explanations, examples, runs) go through the Core API, not Cypher. */
    public boolean coreReads() {
        return statements.coreReads();
    }

    /** Database round trips made so far (for tests and metrics). */
    public long queryCount() {
        return statements.queryCount();
    }
}
