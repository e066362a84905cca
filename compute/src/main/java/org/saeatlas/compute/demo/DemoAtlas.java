package org.saeatlas.compute.demo;

import java.util.List;
import org.saeatlas.compute.SparseActivations;

/**
 * A generated atlas: one model, two SAEs (two seeds of one layer) over a shared token stream, with the planted
 * structure that produced them.
 */
public record DemoAtlas(DemoParameters parameters, String modelId, List<Sae> saes, Truth truth) {

    /** One SAE: its activations over the token stream, its decoder rows, explanations and activating examples. */
    public record Sae(String id, String modelId, int layer, String hookPoint, int seed, int dIn,
                      SparseActivations activations, float[] decoder, List<String> explanations,
                      List<Example> examples) {

        public int width() {
            return activations.featureCount();
        }

        /** Decoder row of a feature (unit norm), a view copied out of the row-major [d_sae, d_in] matrix. */
        public float[] decoderRow(int feature) {
            float[] row = new float[dIn];
            System.arraycopy(decoder, feature * dIn, row, 0, dIn);
            return row;
        }
    }

    /** A window of tokens around one of a feature's top activations, with the feature's activation per token. */
    public record Example(int feature, int rank, List<String> tokens, float[] values) {
        public float maxValue() {
            float m = 0;
            for (float v : values) {
                m = Math.max(m, v);
            }
            return m;
        }
    }

    /**
     * What was planted, in SAE A's feature indices. {@code modules}: features that co-fire through a shared latent;
     * {@code hierarchies}: a parent followed by children that fire only with it; {@code duplicates}: near-duplicate
     * pairs; {@code bOfA[i]}: the index in SAE B of A's feature i, or -1 where B did not learn it; {@code computed}:
     * the features computed from the layer below (empty for the first layer).
     */
    public record Truth(List<int[]> modules, List<int[]> hierarchies, List<int[]> duplicates, int[] bOfA,
                        List<Computed> computed) { }

    /** A feature computed from the layer below's SAE A features: {@code sum weights[k] x inputs[k]}. */
    public record Computed(int feature, int[] inputs, double[] weights) { }
}
