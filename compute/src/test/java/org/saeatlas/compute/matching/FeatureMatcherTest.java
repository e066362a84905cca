package org.saeatlas.compute.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;

class FeatureMatcherTest {

    private static final DemoAtlas ATLAS = DemoAtlasGenerator.generate(DemoParameters.small(5));
    private static final MatchParameters PARAMS = new MatchParameters(10, 0.7, 0.5, 3, 2);

    /** Property: swapping the two SAEs swaps every pairing, for random decoders of random shapes. */
    @Test
    void matchingIsSymmetricUnderSwappingTheSides() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int d = 4 + rng.nextInt(12);
            int pA = 5 + rng.nextInt(60);
            int pB = 5 + rng.nextInt(60);
            float[] wa = random(pA * d, rng);
            float[] wb = random(pB * d, rng);
            MatchParameters params = new MatchParameters(1 + rng.nextInt(6), 0.2 + 0.5 * rng.nextDouble(), 0.3, 1, 1);
            FeatureMatches ab = FeatureMatcher.byDecoderCosine(wa, pA, wb, pB, d, params, Progress.NONE);
            FeatureMatches ba = FeatureMatcher.byDecoderCosine(wb, pB, wa, pA, d, params, Progress.NONE);
            assertEquals(pairs(ab.assignment(), false), pairs(ba.assignment(), true), "assignment, trial " + trial);
            assertEquals(pairs(ab.mutualNearest(), false), pairs(ba.mutualNearest(), true),
                    "mutual NN, trial " + trial);
            if (pA != pB) {
                // with equal widths A is taken as the narrow side, so one-to-many is symmetric only across widths
                assertEquals(pairs(ab.oneToMany(), false), pairs(ba.oneToMany(), true), "one-to-many, trial " + trial);
            }
        }
    }

    /** Planted: the second seed learned 80% of the first seed's features under a known permutation. */
    @Test
    void decoderCosineRecoversThePlantedCorrespondence() {
        DemoAtlas.Sae a = ATLAS.saes().get(0);
        DemoAtlas.Sae b = ATLAS.saes().get(1);
        FeatureMatches m = FeatureMatcher.byDecoderCosine(a.decoder(), a.width(), b.decoder(), b.width(), a.dIn(),
                PARAMS, Progress.NONE);
        Recovery r = recovery(m.assignment(), ATLAS.truth().bOfA());
        assertTrue(r.sharedRecovered() >= 0.95, "assignment recovered " + r);
        assertTrue(r.unsharedMatched() <= 0.2, "assignment matched unshared " + r);
        Recovery mnn = recovery(m.mutualNearest(), ATLAS.truth().bOfA());
        assertTrue(mnn.sharedRecovered() >= 0.9, "mutual NN recovered " + mnn);
        assertTrue(m.assignment().shareMatchedA() > 0.7 && m.assignment().shareMatchedA() < 0.9,
                "share matched " + m.assignment().shareMatchedA());
        System.out.println("decoder cosine, demo small(5): assignment " + r + ", mutual NN " + mnn
                + ", share of A matched " + m.assignment().shareMatchedA());
    }

    @Test
    void activationCorrelationRecoversThePlantedCorrespondence() {
        FeatureMatches m = FeatureMatcher.byActivationCorrelation(ATLAS.saes().get(0).activations(),
                ATLAS.saes().get(1).activations(), PARAMS, Progress.NONE);
        Recovery r = recovery(m.assignment(), ATLAS.truth().bOfA());
        assertTrue(r.sharedRecovered() >= 0.95, "assignment recovered " + r);
        assertTrue(r.unsharedMatched() <= 0.2, "assignment matched unshared " + r);
        System.out.println("activation correlation, demo small(5): assignment " + r);
        for (Match x : m.assignment().matches()) {
            assertEquals(Similarity.ACTIVATION_CORRELATION, x.similarity());
            assertTrue(x.score() >= 0.7 && x.rank() >= 1);
            assertEquals("activation_correlation/assignment", x.method());
        }
    }

    /**
     * A feature that splits: narrow A has rows e0, e1; wide B has e0+0.3e2, e0-0.3e2 (two halves of A0), e1, and an
     * unrelated e3. One-to-many gives A0 two partners with ranks 1 and 2; the one-to-one pairings take one of them.
     */
    @Test
    void oneToManyFindsASplitFeature() {
        int d = 4;
        float[] wa = {1, 0, 0, 0, 0, 1, 0, 0};
        float[] wb = {1, 0, 0.3f, 0, 1, 0, -0.31f, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        FeatureMatches m = FeatureMatcher.byDecoderCosine(wa, 2, wb, 4, d, PARAMS, Progress.NONE);
        List<Match> split = m.oneToMany().matches();
        assertEquals(3, split.size());
        assertEquals(new Match(0, 0, Similarity.DECODER_COSINE, Pairing.ONE_TO_MANY, split.get(0).score(), 1),
                split.get(0));
        assertEquals(0, split.get(1).a());
        assertEquals(1, split.get(1).b());
        assertEquals(2, split.get(1).rank());
        assertEquals(1, split.get(2).a());
        assertEquals(2, split.get(2).b());
        assertEquals(1 / Math.sqrt(1.09), split.get(0).score(), 1e-6);
        assertEquals(2, m.assignment().matches().size());
        assertEquals(0, m.assignment().partnerOfA()[0]);
        assertEquals(0.5, m.assignment().shareMatchedB());
    }

    record Recovery(double sharedRecovered, double unsharedMatched) { }

    static Recovery recovery(MatchResult m, int[] bOfA) {
        int[] partner = m.partnerOfA();
        int shared = 0;
        int right = 0;
        int unshared = 0;
        int wrong = 0;
        for (int f = 0; f < bOfA.length; f++) {
            if (bOfA[f] >= 0) {
                shared++;
                right += partner[f] == bOfA[f] ? 1 : 0;
            } else {
                unshared++;
                wrong += partner[f] >= 0 ? 1 : 0;
            }
        }
        return new Recovery(right / (double) shared, wrong / (double) unshared);
    }

    private static List<String> pairs(MatchResult r, boolean swapped) {
        List<String> out = new ArrayList<>();
        for (Match m : r.matches()) {
            int a = swapped ? m.b() : m.a();
            int b = swapped ? m.a() : m.b();
            out.add(a + "-" + b + ":" + m.score());
        }
        out.sort(null);
        return out;
    }

    private static float[] random(int n, Random rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
