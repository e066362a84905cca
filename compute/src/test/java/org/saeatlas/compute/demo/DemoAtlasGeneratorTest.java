package org.saeatlas.compute.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoActivationGraph;
import org.saeatlas.compute.coactivation.CoActivationParameters;

class DemoAtlasGeneratorTest {

    private static final DemoAtlas ATLAS = DemoAtlasGenerator.generate(DemoParameters.small(11));

    @Test
    void sameSeedSameAtlas() {
        DemoAtlas again = DemoAtlasGenerator.generate(DemoParameters.small(11));
        for (int s = 0; s < 2; s++) {
            SparseActivations a = ATLAS.saes().get(s).activations();
            SparseActivations b = again.saes().get(s).activations();
            assertArrayEquals(a.rowPtr(), b.rowPtr());
            assertArrayEquals(a.features(), b.features());
            assertArrayEquals(a.values(), b.values());
            assertArrayEquals(ATLAS.saes().get(s).decoder(), again.saes().get(s).decoder());
            assertEquals(ATLAS.saes().get(s).explanations(), again.saes().get(s).explanations());
        }
    }

    /** SHA-256 of both SAEs' CSR arrays of {@code small(11)}, as the sort by a (token, feature, event) key wrote them. */
    private static final String SMALL_11_DIGEST = "2399cd36b622ff5396bab24762b573b8b069182ae22b11bcb255856fa61db6d4";

    @Test
    void csrIsTheSameAsThePreviousKeySortWrote() throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (DemoAtlas.Sae sae : ATLAS.saes()) {
            SparseActivations a = sae.activations();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * (a.rowPtr().length + 2 * a.nnz()));
            for (int x : a.rowPtr()) {
                b.putInt(x);
            }
            for (int x : a.features()) {
                b.putInt(x);
            }
            for (float x : a.values()) {
                b.putFloat(x);
            }
            md.update(b.array());
        }
        assertEquals(SMALL_11_DIGEST, java.util.HexFormat.of().formatHex(md.digest()));
    }

    @Test
    void rateScaleThinsEveryFiringAndKeepsTheStructure() {
        DemoParameters p = DemoParameters.small(11);
        DemoParameters thin = new DemoParameters(p.seed(), p.features(), p.tokens(), p.dIn(), p.modules(),
                p.hierarchies(), p.duplicates(), p.sharedFraction(), 0.25);
        SparseActivations full = ATLAS.saes().get(0).activations();
        DemoAtlas thinAtlas = DemoAtlasGenerator.generate(thin);
        SparseActivations x = thinAtlas.saes().get(0).activations();
        double ratio = x.nnz() / (double) full.nnz();
        assertTrue(ratio > 0.2 && ratio < 0.3, "nnz ratio " + ratio);
        for (int t = 0; t < x.tokens(); t++) {
            for (int k = x.rowPtr()[t] + 1; k < x.rowPtr()[t + 1]; k++) {
                assertTrue(x.features()[k - 1] < x.features()[k], "row " + t + " not strictly increasing");
            }
        }
        for (int[] family : thinAtlas.truth().hierarchies()) {
            for (int t = 0; t < x.tokens(); t++) {
                Set<Integer> active = active(x, t);
                for (int k = 1; k < family.length; k++) {
                    if (active.contains(family[k])) {
                        assertTrue(active.contains(family[0]), "child " + family[k] + " without parent at " + t);
                    }
                }
            }
        }
        assertTrue(thin.toString().contains("rateScale=0.25"));
        assertEquals(-1, p.toString().indexOf("rateScale"));
    }

    @Test
    void activationsAreSparseNonNegativeWithTensActivePerTokenAtDefaultSize() {
        DemoAtlas full = DemoAtlasGenerator.generate(DemoParameters.defaults());
        SparseActivations x = full.saes().get(0).activations();
        double activePerToken = x.nnz() / (double) x.tokens();
        assertTrue(activePerToken > 8 && activePerToken < 40, "active per token " + activePerToken);
        assertTrue(x.sparsity() > 0.99, "sparsity " + x.sparsity());
        for (float v : x.values()) {
            assertTrue(v > 0);
        }
    }

    @Test
    void childrenFireOnlyWithTheirParent() {
        SparseActivations x = ATLAS.saes().get(0).activations();
        for (int[] family : ATLAS.truth().hierarchies()) {
            for (int t = 0; t < x.tokens(); t++) {
                Set<Integer> active = active(x, t);
                for (int k = 1; k < family.length; k++) {
                    if (active.contains(family[k])) {
                        assertTrue(active.contains(family[0]), "child " + family[k] + " without parent at " + t);
                    }
                }
            }
        }
    }

    @Test
    void coActivationRecoversPlantedModulesAsTopNeighbours() {
        SparseActivations x = ATLAS.saes().get(0).activations();
        List<CoActivationGraph.Edge> edges = CoActivationGraph.compute(x,
                new CoActivationParameters(3, 0.05, 5, 2), Progress.NONE).edges();
        Set<Long> found = new HashSet<>();
        for (CoActivationGraph.Edge e : edges) {
            found.add((long) e.i() << 32 | e.j());
        }
        int planted = 0;
        int recovered = 0;
        for (int[] m : ATLAS.truth().modules()) {
            for (int a = 0; a < m.length; a++) {
                for (int b = a + 1; b < m.length; b++) {
                    planted++;
                    int i = Math.min(m[a], m[b]);
                    int j = Math.max(m[a], m[b]);
                    recovered += found.contains((long) i << 32 | j) ? 1 : 0;
                }
            }
        }
        assertTrue(recovered >= 0.95 * planted, recovered + " of " + planted + " planted module pairs");
    }

    @Test
    void relativesHaveHigherDecoderCosineAndSeedsShareFeatures() {
        DemoAtlas.Sae a = ATLAS.saes().get(0);
        DemoAtlas.Sae b = ATLAS.saes().get(1);
        for (int[] pair : ATLAS.truth().duplicates()) {
            assertTrue(cos(a.decoderRow(pair[0]), a.decoderRow(pair[1])) > 0.85);
        }
        int shared = 0;
        for (int f = 0; f < a.width(); f++) {
            int g = ATLAS.truth().bOfA()[f];
            if (g >= 0) {
                shared++;
                assertTrue(cos(a.decoderRow(f), b.decoderRow(g)) > 0.9);
                assertEquals(a.explanations().get(f), b.explanations().get(g));
            }
        }
        double share = shared / (double) a.width();
        assertTrue(share > 0.7 && share < 0.9, "shared " + share);
    }

    @Test
    void examplesShowTheFeaturesKeywordWhereItFires() {
        DemoAtlas.Sae a = ATLAS.saes().get(0);
        DemoAtlas.Example ex = a.examples().get(0);
        String explanation = a.explanations().get(ex.feature());
        for (int k = 0; k < ex.tokens().size(); k++) {
            if (ex.values()[k] > 0) {
                assertTrue(explanation.contains(ex.tokens().get(k).strip()), ex.tokens().get(k) + " vs " + explanation);
            }
        }
        assertTrue(ex.maxValue() > 0);
    }

    private static Set<Integer> active(SparseActivations x, int t) {
        Set<Integer> s = new HashSet<>();
        for (int k = x.rowPtr()[t]; k < x.rowPtr()[t + 1]; k++) {
            s.add(x.features()[k]);
        }
        return s;
    }

    private static double cos(float[] u, float[] v) {
        double d = 0;
        double nu = 0;
        double nv = 0;
        for (int k = 0; k < u.length; k++) {
            d += u[k] * v[k];
            nu += u[k] * u[k];
            nv += v[k] * v[k];
        }
        return d / Math.sqrt(nu * nv);
    }
}
