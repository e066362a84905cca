package org.saeatlas.ingest.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a load's rows instead of writing them, for Neo4j's offline importer ({@link BulkImport}): a new
 * database is then written in one pass, far faster than transactions (see docs/ingest.md).
 */
public final class ContentCollector implements AtlasSink {

    private final Map<String, Rows.ModelRow> models = new LinkedHashMap<>();
    private final Map<String, Rows.SaeRow> saes = new LinkedHashMap<>();
    private final Map<String, List<Rows.FeatureRow>> features = new LinkedHashMap<>();
    private final Map<String, double[]> histogramEdges = new LinkedHashMap<>();
    private final Map<String, List<Rows.ExplanationRow>> explanations = new LinkedHashMap<>();
    private final Map<String, List<Rows.ExampleRow>> examples = new LinkedHashMap<>();
    private final Map<String, BulkImport.RunEdges> runs = new LinkedHashMap<>();

    @Override
    public void model(Rows.ModelRow model) {
        models.put(model.id(), model);
    }

    @Override
    public void sae(Rows.SaeRow sae) {
        saes.put(sae.id(), sae);
    }

    @Override
    public void features(String sae, List<Rows.FeatureRow> rows) {
        features.computeIfAbsent(sae, s -> new ArrayList<>()).addAll(rows);
    }

    @Override
    public void histogramEdges(String sae, double[] edges) {
        histogramEdges.put(sae, edges.clone());
    }

    @Override
    public void explanations(String sae, List<Rows.ExplanationRow> rows) {
        explanations.computeIfAbsent(sae, s -> new ArrayList<>()).addAll(rows);
    }

    @Override
    public void examples(String sae, List<Rows.ExampleRow> rows) {
        examples.computeIfAbsent(sae, s -> new ArrayList<>()).addAll(rows);
    }

    @Override
    public boolean run(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges) {
        return runs.putIfAbsent(run.id(), new BulkImport.RunEdges(run, relationship, List.copyOf(edges))) == null;
    }

    /** Everything collected, for {@link BulkImport#into}. */
    public BulkImport.Content content() {
        return new BulkImport.Content(List.copyOf(models.values()), List.copyOf(saes.values()), features,
                explanations, examples, List.copyOf(runs.values()), histogramEdges);
    }
}
