package org.saeatlas.compute.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;

class DecoderCosineTest {
    private static final float R = (float) Math.sqrt(0.5);

    /** Hand-computed: rows (3,0) (0,2) (1,1) (-1,0) (0,0); cos(0,2)=cos(1,2)=1/sqrt2, cos(0,3)=-1, rest 0. */
    private static final float[] W = {3, 0, 0, 2, 1, 1, -1, 0, 0, 0};

    @Test
    void knownAnswerWithin() {
        CosineNeighbours n = DecoderCosine.within(W, 5, 2, new DecoderCosine.Parameters(2, 2, 1), Progress.NONE);
        assertEquals(2, n.k());
        assertArrayEquals(new int[] {2, 1, 2, 0, 0, 1, 1, 4, 0, 1}, n.indices());
        assertArrayEquals(new float[] {R, 0, R, 0, R, R, 0, 0, 0, 0}, n.cosines(), 1e-6f);
    }

    @Test
    void knownAnswerAcrossAndPairs() {
        float[] b = {0, -5, 2, 2};
        CosineNeighbours n = DecoderCosine.across(W, 5, b, 2, 2, new DecoderCosine.Parameters(3, 4, 2),
                Progress.NONE);
        assertEquals(2, n.k(), "k capped at the candidates");
        assertArrayEquals(new int[] {1, 0, 1, 0, 1, 0, 0, 1, 0, 1}, n.indices());
        assertArrayEquals(new float[] {R, 0, R, -1, 1, -R, 0, -R, 0, 0}, n.cosines(), 1e-6f);
        float[] c = DecoderCosine.pairs(W, 5, 2, new int[] {0, 0, 2, 4}, new int[] {2, 3, 1, 0});
        assertArrayEquals(new float[] {R, -1, R, 0}, c, 1e-6f);
        assertThrows(AtlasException.class, () -> DecoderCosine.pairs(W, 5, 2, new int[] {5}, new int[] {0}));
    }

    @Test
    void blockedMatchesNaiveAndIsIdenticalAtAnyThreadCountOrBlockSize() {
        Random rnd = new Random(7);
        int p = 300;
        int d = 37;
        float[] w = new float[p * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        System.arraycopy(w, 0, w, 5 * d, d); // feature 5 duplicates feature 0
        CosineNeighbours a = DecoderCosine.within(w, p, d, new DecoderCosine.Parameters(10, 256, 1), Progress.NONE);
        CosineNeighbours b = DecoderCosine.within(w, p, d, new DecoderCosine.Parameters(10, 7, 4), Progress.NONE);
        assertArrayEquals(a.indices(), b.indices());
        assertArrayEquals(a.cosines(), b.cosines());
        assertEquals(5, a.neighbour(0, 0));
        assertEquals(1.0f, a.cosine(0, 0), 1e-6f);
        for (int f = 0; f < p; f++) {
            double[] naive = new double[p];
            for (int g = 0; g < p; g++) {
                naive[g] = g == f ? Double.NEGATIVE_INFINITY
                        : DecoderCosine.pairs(w, p, d, new int[] {f}, new int[] {g})[0];
            }
            for (int r = 0; r < 10; r++) {
                int best = 0;
                for (int g = 1; g < p; g++) {
                    best = naive[g] > naive[best] ? g : best;
                }
                assertEquals(naive[best], a.cosine(f, r), 2e-6, "feature " + f + " rank " + r);
                naive[a.neighbour(f, r)] = Double.NEGATIVE_INFINITY;
            }
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(AtlasException.class, () -> DecoderCosine.within(new float[5], 2, 3,
                DecoderCosine.Parameters.defaults(1), Progress.NONE));
        float[] nan = {1, Float.NaN};
        AtlasException e = assertThrows(AtlasException.class, () -> DecoderCosine.within(nan, 1, 2,
                DecoderCosine.Parameters.defaults(1), Progress.NONE));
        assertEquals(true, e.getMessage().contains("row 0 column 1 is NaN"));
        assertThrows(AtlasException.class, () -> new DecoderCosine.Parameters(0, 1, 1));
    }
}
