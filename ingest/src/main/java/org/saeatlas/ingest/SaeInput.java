package org.saeatlas.ingest;

import java.util.List;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.ingest.store.Rows;

/**
 * Everything the atlas takes in for one SAE, whatever files it came from.
 *
 * @param sae          the SAE's identity and metadata
 * @param activations  feature activations over a token sample (tokens x features), or null when none were given
 *                     (the SAE is added from what is known about it: no statistics, no co-activation)
 * @param decoder      decoder rows [d_sae, d_in] row-major, or null when the weights are not given
 * @param explanations explanations (any number per feature)
 * @param examples     activating examples
 * @param inputSha256  checksum identifying the activations (part of every run's identity)
 * @param logits       logit tables (from SAEDashboard batches), possibly none
 */
public record SaeInput(Rows.SaeRow sae, SparseActivations activations, float[] decoder,
                       List<Rows.ExplanationRow> explanations, List<Rows.ExampleRow> examples, String inputSha256,
                       List<Rows.LogitRow> logits) {

    /** Without logit tables. */
    public SaeInput(Rows.SaeRow sae, SparseActivations activations, float[] decoder,
                    List<Rows.ExplanationRow> explanations, List<Rows.ExampleRow> examples, String inputSha256) {
        this(sae, activations, decoder, explanations, examples, inputSha256, List.of());
    }

    public SaeInput {
        if (activations != null && activations.featureCount() != sae.width()) {
            throw new AtlasException("SAE " + sae.id() + ": activations have " + activations.featureCount()
                    + " feature columns but the SAE declares width " + sae.width());
        }
        if (decoder != null && (sae.dIn() == null || decoder.length != (long) sae.width() * sae.dIn())) {
            throw new AtlasException("SAE " + sae.id() + ": decoder has " + decoder.length + " values, expected"
                    + " width x d_in = " + sae.width() + " x " + sae.dIn());
        }
        for (Rows.ExplanationRow e : explanations) {
            checkIndex(sae, "explanation", e.index());
        }
        for (Rows.ExampleRow e : examples) {
            checkIndex(sae, "activating example", e.index());
        }
        logits = logits == null ? List.of() : logits;
        for (Rows.LogitRow l : logits) {
            checkIndex(sae, "logit table", l.index());
        }
    }

    private static void checkIndex(Rows.SaeRow sae, String what, int index) {
        if (index < 0 || index >= sae.width()) {
            throw new AtlasException("SAE " + sae.id() + ": " + what + " for feature " + index
                    + " is out of range (expected 0.." + (sae.width() - 1) + ")");
        }
    }

    public int dIn() {
        return sae.dIn() == null ? 0 : sae.dIn();
    }
}
