package org.saeatlas.ingest.store;

import java.util.List;

/**
 * Where a load puts what it computed: the database online ({@link AtlasWriter}), or rows collected for Neo4j's
 * offline importer ({@link ContentCollector}, the fast first load of a new database).
 */
public interface AtlasSink {

    void model(Rows.ModelRow model);

    void sae(Rows.SaeRow sae);

    void features(String sae, List<Rows.FeatureRow> rows);

    /** The activation bin edges shared by the histograms of an SAE's features. */
    void histogramEdges(String sae, double[] edges);

    void explanations(String sae, List<Rows.ExplanationRow> rows);

    void examples(String sae, List<Rows.ExampleRow> rows);

    /**
     * Logit tables set on the features. A sink that cannot hold them (the offline importer's collector) drops them:
     * whoever imports through it writes them into the new database afterwards.
     */
    default void logits(String sae, List<Rows.LogitRow> rows) {
    }

    /** Stores a run and its edges; false when the same run (same id) is already complete. */
    boolean run(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges);
}
