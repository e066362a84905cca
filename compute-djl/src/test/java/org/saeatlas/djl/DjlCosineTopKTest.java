package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.sae.CosineNeighbours;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;

/**
 * DJL's blocked cosine top-k against the Java engine: identical on decoders whose cosines are exact in float (so
 * ties are frequent, including whole rows of ties from a zero row), within float tolerance on Gaussian decoders,
 * and planted near-duplicates found as each other's first neighbour. Small blocks make many blocks and a ragged
 * last one.
 */
class DjlCosineTopKTest {

    static DjlEngine engine;
    static CosineTopK java = DecoderCosine.inJava(2);

    @BeforeAll
    static void load() {
        engine = TestEngines.cpu();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Rows with four entries of +-1 (norm 2, so unit entries +-0.5): every cosine is a multiple of 1/4, exact. */
    static float[] exactDecoder(Random rnd, int p, int d, int zeroRow) {
        float[] w = new float[p * d];
        for (int r = 0; r < p; r++) {
            if (r == zeroRow) {
                continue;
            }
            int placed = 0;
            while (placed < 4) {
                int c = rnd.nextInt(d);
                if (w[r * d + c] == 0) {
                    w[r * d + c] = rnd.nextBoolean() ? 1 : -1;
                    placed++;
                }
            }
        }
        return w;
    }

    static void assertSame(CosineNeighbours expected, CosineNeighbours actual, String what) {
        assertEquals(expected.k(), actual.k(), what + " k");
        assertArrayEquals(expected.cosines(), actual.cosines(), what + " cosines");
        assertArrayEquals(expected.indices(), actual.indices(), what + " indices");
    }

    @Test
    void identicalToJavaWhenCosinesAreExactTiesAndZeroRowsIncluded() {
        Random rnd = new Random(3);
        int d = 12;
        float[] a = exactDecoder(rnd, 301, d, 17);
        float[] b = exactDecoder(rnd, 173, d, 5);
        for (int block : new int[] {64, 4096}) {
            CosineTopK djl = engine.cosine(block);
            assertSame(java.within(a, 301, d, 10, Progress.NONE), djl.within(a, 301, d, 10, Progress.NONE),
                    "within, block " + block);
            assertSame(java.across(a, 301, b, 173, d, 10, Progress.NONE),
                    djl.across(a, 301, b, 173, d, 10, Progress.NONE), "across, block " + block);
            CosineTopK.CrossNeighbours both = djl.both(a, 301, b, 173, d, 10, Progress.NONE);
            assertSame(java.across(a, 301, b, 173, d, 10, Progress.NONE), both.aInB(), "both A in B, block " + block);
            assertSame(java.across(b, 173, a, 301, d, 10, Progress.NONE), both.bInA(), "both B in A, block " + block);
        }
        // the zero row ties with everything at 0: its neighbours are the smallest other indices
        CosineNeighbours nn = engine.cosine(64).within(a, 301, d, 10, Progress.NONE);
        for (int r = 0; r < 10; r++) {
            assertEquals(0f, nn.cosine(17, r));
            assertEquals(r, nn.neighbour(17, r));
        }
    }

    @Test
    void javaBothWaysEqualsTwoAcrossPasses() {
        Random rnd = new Random(8);
        float[] a = gaussian(rnd, 257 * 20);
        float[] b = gaussian(rnd, 190 * 20);
        DecoderCosine.Parameters p = new DecoderCosine.Parameters(10, 32, 3);
        CosineTopK.CrossNeighbours both = DecoderCosine.both(a, 257, b, 190, 20, p, Progress.NONE);
        assertSame(DecoderCosine.across(a, 257, b, 190, 20, p, Progress.NONE), both.aInB(), "A in B");
        assertSame(DecoderCosine.across(b, 190, a, 257, 20, p, Progress.NONE), both.bInA(), "B in A");
    }

    @Test
    void agreesWithJavaWithinFloatToleranceOnGaussianDecoders() {
        Random rnd = new Random(4);
        int d = 96;
        float[] a = gaussian(rnd, 700 * d);
        float[] b = gaussian(rnd, 450 * d);
        CosineTopK djl = engine.cosine(128);
        assertClose(java.within(a, 700, d, 10, Progress.NONE), djl.within(a, 700, d, 10, Progress.NONE));
        CosineTopK.CrossNeighbours both = djl.both(a, 700, b, 450, d, 10, Progress.NONE);
        assertClose(java.across(a, 700, b, 450, d, 10, Progress.NONE), both.aInB());
        assertClose(java.across(b, 450, a, 700, d, 10, Progress.NONE), both.bInA());
    }

    /** Same cosines per rank within 1e-5; same neighbour unless a near-tie (gap < 1e-5) allows a swap. */
    static void assertClose(CosineNeighbours expected, CosineNeighbours actual) {
        assertEquals(expected.k(), actual.k());
        int k = expected.k();
        for (int f = 0; f < expected.features(); f++) {
            for (int r = 0; r < k; r++) {
                assertEquals(expected.cosine(f, r), actual.cosine(f, r), 1e-5, "feature " + f + " rank " + r);
                if (expected.neighbour(f, r) != actual.neighbour(f, r)) {
                    float here = expected.cosine(f, r);
                    boolean nearTie = (r > 0 && here - expected.cosine(f, r - 1) > -1e-5)
                            || (r + 1 < k && here - expected.cosine(f, r + 1) < 1e-5);
                    assertTrue(nearTie, "feature " + f + " rank " + r + ": " + expected.neighbour(f, r) + " vs "
                            + actual.neighbour(f, r) + " without a near-tie");
                }
            }
        }
    }

    @Test
    void plantedNearDuplicatesAreEachOthersFirstNeighbour() {
        Random rnd = new Random(12);
        int p = 400;
        int d = 64;
        float[] w = gaussian(rnd, p * d);
        for (int pair = 0; pair < 50; pair++) {
            int src = 2 * pair;
            int dup = 2 * pair + 1 + 200; // partners far apart, in other blocks
            for (int c = 0; c < d; c++) {
                w[dup * d + c] = w[src * d + c] + (float) (0.05 * rnd.nextGaussian());
            }
        }
        CosineNeighbours nn = engine.cosine(64).within(w, p, d, 10, Progress.NONE);
        for (int pair = 0; pair < 50; pair++) {
            int src = 2 * pair;
            int dup = 2 * pair + 1 + 200;
            assertEquals(dup, nn.neighbour(src, 0), "planted partner of " + src);
            assertEquals(src, nn.neighbour(dup, 0), "planted partner of " + dup);
            assertTrue(nn.cosine(src, 0) > 0.99f);
            assertTrue(nn.cosine(src, 1) < 0.6f, "nothing else is near " + src);
        }
    }

    static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
