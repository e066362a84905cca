package org.saeatlas.compute.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A deterministic bag-of-words embedding for the demo's explanations (no model, nothing downloaded): each lower-cased
 * word is hashed to a signed coordinate (the hashing trick), the vector is L2-normalised. Texts sharing words get a
 * high cosine. Real atlases use the embeddings that come with the explanations (Neuronpedia exports carry them).
 */
public final class HashedTextEmbedding {

    private HashedTextEmbedding() {
    }

    public static float[] of(String text, int dimension) {
        double[] v = new double[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int h = fnv1a(word);
            v[Math.floorMod(h, dimension)] += (h >>> 31) == 0 ? 1 : -1;
        }
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        float[] out = new float[dimension];
        if (norm == 0) {
            return out;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < dimension; k++) {
            out[k] = (float) (v[k] / norm);
        }
        return out;
    }

    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
