package org.saeatlas.ingest.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.compute.fdr.FdrTable;

/** What ingest writes, one record per node kind, independent of where it came from (demo, files, compute). */
public final class Rows {

    private Rows() {
    }

    public record ModelRow(String id, String name) { }

    /**
     * An SAE. {@code l0}, {@code fvu} and {@code errorNorm} (mean active features per token, fraction of variance
     * unexplained, mean ||x - x_hat||) are known only when the atlas encoded residuals itself; else null.
     */
    public record SaeRow(String id, String model, String release, Integer layer, String hookPoint, int width,
                         Integer seed, String architecture, Integer dIn, Double l0, Double fvu, Double errorNorm) {

        public SaeRow(String id, String model, String release, Integer layer, String hookPoint, int width,
                      Integer seed, String architecture, Integer dIn) {
            this(id, model, release, layer, hookPoint, width, seed, architecture, dIn, null, null, null);
        }
    }

    /**
     * A feature and its statistics; {@code histogram} (may be null) counts its firing tokens per activation bin, the
     * bins being the SAE's {@code histogramEdges}.
     */
    public record FeatureRow(int index, Double firingRate, Double meanActivation, Double maxActivation,
                             long[] histogram) {
        public FeatureRow(int index, Double firingRate, Double meanActivation, Double maxActivation) {
            this(index, firingRate, meanActivation, maxActivation, null);
        }
    }

    /** An explanation; {@code embedding} (may be null) is a text embedding of it, e.g. from a Neuronpedia export. */
    public record ExplanationRow(int index, String text, String source, Double score, float[] embedding) {
        public ExplanationRow(int index, String text, String source, Double score) {
            this(index, text, source, score, null);
        }
    }

    public record ExampleRow(int index, int rank, List<String> tokens, float[] values) { }

    /**
     * A feature's logit table (SAEDashboard/Neuronpedia exports): the tokens whose logits its decoder direction
     * raises most and lowers most, with the logit changes, strongest first as the export wrote them.
     */
    public record LogitRow(int index, List<String> positiveTokens, double[] positiveValues,
                           List<String> negativeTokens, double[] negativeValues) { }

    /**
     * A graph run. {@code id} identifies it by content and parameters, so loading the same run twice is a no-op.
     * {@code properties}: method, parameters (JSON), rStar, fdrTable (JSON), software, inputSha256, ...
     */
    public record RunRow(String id, String kind, String sae, Map<String, Object> properties) { }

    /** An edge between features {@code i < j} of one SAE with its properties. */
    public record EdgeRow(int i, int j, Map<String, Object> properties) { }

    /**
     * An FDR table as a run stores it (JSON rows: r, observed, expectedNull, fdrEstimate; non-finite values as null).
     * {@code withTotal}: also the indirect share (null where not estimated) and the total error, which the stable
     * dependence runs choose r* by; connection runs store the first four only.
     */
    public static List<Map<String, Object>> fdrRows(FdrTable table, boolean withTotal) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FdrTable.Row r : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("r", r.r());
            m.put("observed", r.observed());
            m.put("expectedNull", r.expectedNull());
            m.put("fdrEstimate", Double.isFinite(r.fdrEst()) ? r.fdrEst() : null);
            if (withTotal) {
                m.put("indirectShare", r.hasIndirectEstimate() && Double.isFinite(r.indirectShare())
                        ? r.indirectShare() : null);
                m.put("totalError", Double.isFinite(r.totalError()) ? r.totalError() : null);
            }
            rows.add(m);
        }
        return rows;
    }
}
