package org.saeatlas.compute.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.coactivation.CoActivationGraph;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.compute.graphs.ConnectedComponents;
import org.saeatlas.compute.graphs.WeightedGraph;
import org.saeatlas.compute.matching.FeatureMatcher;
import org.saeatlas.compute.matching.MatchParameters;

class GraphComparisonTest {

    private static final DemoAtlas ATLAS = DemoAtlasGenerator.generate(DemoParameters.small(5));

    static WeightedGraph coActivation(DemoAtlas.Sae sae) {
        return coActivation(sae, new CoActivationParameters(3, 0.05, 20, 2));
    }

    static WeightedGraph coActivation(DemoAtlas.Sae sae, CoActivationParameters p) {
        List<CoActivationGraph.Edge> edges = CoActivationGraph.compute(sae.activations(), p, Progress.NONE).edges();
        int[] u = new int[edges.size()];
        int[] v = new int[edges.size()];
        double[] w = new double[edges.size()];
        for (int e = 0; e < edges.size(); e++) {
            u[e] = edges.get(e).i();
            v[e] = edges.get(e).j();
            w[e] = Math.abs(edges.get(e).pearson());
        }
        return WeightedGraph.fromEdges(sae.width(), u, v, w);
    }

    /**
     * Planted: two seeds of the demo SAE (80% shared features under a known permutation). Measured at this seed
     * (10 baseline graphs): degree JSD 0.011 between the seeds against 0.060 for Erdos-Renyi; strength JSD 0.034
     * against 0.107 (ER) and 0.060 (rewired); edge Jaccard under the decoder-cosine matching 0.98 against 0.036
     * (rewired) and 0 (ER). The rewired degree JSD equals the observed one by construction.
     */
    @Test
    void seedsAreCloserThanBothBaselines() {
        DemoAtlas.Sae a = ATLAS.saes().get(0);
        DemoAtlas.Sae b = ATLAS.saes().get(1);
        WeightedGraph ga = coActivation(a);
        WeightedGraph gb = coActivation(b);
        int[] matched = FeatureMatcher.byDecoderCosine(a.decoder(), a.width(), b.decoder(), b.width(), a.dIn(),
                MatchParameters.defaults(), Progress.NONE).assignment().partnerOfA();
        GraphComparison.Result r = GraphComparison.compare(ga, gb, matched, ComparisonParameters.defaults(),
                Progress.NONE);
        System.out.println("demo small(5) co-activation graphs, " + ga.edgeCount() + " and " + gb.edgeCount()
                + " edges: " + r);
        assertTrue(r.degreeJsd() < r.erdosRenyi().degreeJsd().mean() / 3, "degree JSD vs ER: " + r);
        assertEquals(r.degreeJsd(), r.rewired().degreeJsd().mean(), 1e-12, "rewiring keeps every degree");
        assertTrue(r.strengthJsd() < r.erdosRenyi().strengthJsd().mean() / 2, "strength JSD vs ER: " + r);
        assertTrue(r.strengthJsd() < 0.75 * r.rewired().strengthJsd().mean(), "strength JSD vs rewired: " + r);
        assertTrue(r.overlap().jaccard() > 0.8, "edge overlap: " + r.overlap());
        assertTrue(r.overlap().jaccard() > 10 * r.rewired().edgeJaccard().mean(), "edge overlap vs rewired: " + r);
        assertTrue(r.overlap().jaccard() > 10 * r.erdosRenyi().edgeJaccard().mean(), "edge overlap vs ER: " + r);

        ConnectedComponents ca = ConnectedComponents.of(ga);
        ConnectedComponents cb = ConnectedComponents.of(gb);
        PartitionAgreement.Agreement agreement = PartitionAgreement.underMatching(ca.componentOf(), cb.componentOf(),
                matched);
        System.out.println("components under the matching: " + agreement);
        assertTrue(agreement.ari() > 0.7 && agreement.nmi() > 0.9, agreement.toString());
    }

    /**
     * The baselines' distributions, against what follows from their construction: degree-preserving rewiring keeps
     * every degree, so its mean degree counts are the observed ones exactly; every Erdos-Renyi G(n, m) graph has n
     * nodes and m edges, so its mean counts sum to n and its mean degree is 2m/n exactly, and its degrees follow the
     * hypergeometric law of G(n, m) (each node's degree: how many of the m edges drawn from the n(n-1)/2 pairs are
     * among its n-1), here within 0.02 of the share at every degree over 400 random graphs. The observed
     * distributions are the graphs' own, in the comparison's strength bins.
     */
    @Test
    void baselineDistributionsAreThoseOfTheirRandomGraphs() {
        WeightedGraph ga = coActivation(ATLAS.saes().get(0));
        WeightedGraph gb = coActivation(ATLAS.saes().get(1));
        GraphComparison.Result r = GraphComparison.compare(ga, gb, null, new ComparisonParameters(200, 3, 5, 20),
                Progress.NONE);
        GraphComparison.Observed o = r.observed();
        assertEquals(java.util.Arrays.toString(org.saeatlas.compute.graphs.Distributions.degreeCounts(ga)),
                java.util.Arrays.toString(o.degreeA()));
        assertEquals(java.util.Arrays.toString(org.saeatlas.compute.graphs.Distributions.degreeCounts(gb)),
                java.util.Arrays.toString(o.degreeB()));
        assertEquals(21, o.strengthA().length);
        assertEquals(ga.nodes(), java.util.Arrays.stream(o.strengthA()).sum());
        GraphComparison.MeanCounts rewired = r.rewired().counts();
        assertEquals(asDoubles(o.degreeA()), asDoubles(rewired.degreeA()), "rewiring keeps A's degrees");
        assertEquals(asDoubles(o.degreeB()), asDoubles(rewired.degreeB()), "rewiring keeps B's degrees");
        assertEquals(ga.nodes(), java.util.Arrays.stream(rewired.strengthA()).sum(), 1e-9);
        GraphComparison.MeanCounts er = r.erdosRenyi().counts();
        for (Object[] side : new Object[][] {{ga, er.degreeA(), er.strengthA()}, {gb, er.degreeB(), er.strengthB()}}) {
            WeightedGraph g = (WeightedGraph) side[0];
            double[] degrees = (double[]) side[1];
            int n = g.nodes();
            long m = g.edgeCount();
            double nodes = 0;
            double ends = 0;
            for (int d = 0; d < degrees.length; d++) {
                nodes += degrees[d];
                ends += d * degrees[d];
            }
            assertEquals(n, nodes, 1e-9, "every random graph has n nodes");
            assertEquals(2.0 * m, ends, 1e-6, "every random graph has m edges");
            assertEquals(n, java.util.Arrays.stream((double[]) side[2]).sum(), 1e-9);
            long pairs = (long) n * (n - 1) / 2;
            for (int d = 0; d < Math.min(degrees.length, 60); d++) {
                double expected = hypergeometric(pairs, n - 1, m, d);
                assertEquals(expected, degrees[d] / n, 0.02, "share of degree " + d + " in G(" + n + ", " + m + ")");
            }
        }
    }

    /** P(k of the {@code draws} drawn from {@code total} fall among the {@code marked}), by log-factorials. */
    private static double hypergeometric(long total, long marked, long draws, int k) {
        if (k > marked || k > draws || draws - k > total - marked) {
            return 0;
        }
        return Math.exp(logChoose(marked, k) + logChoose(total - marked, draws - k) - logChoose(total, draws));
    }

    private static double logChoose(long n, long k) {
        double s = 0;
        for (long i = 0; i < k; i++) {
            s += Math.log((double) (n - i) / (k - i));
        }
        return s;
    }

    private static List<Double> asDoubles(long[] x) {
        return java.util.Arrays.stream(x).mapToObj(v -> (double) v).toList();
    }

    private static List<Double> asDoubles(double[] x) {
        List<Double> out = new java.util.ArrayList<>(java.util.Arrays.stream(x).boxed().toList());
        while (!out.isEmpty() && out.get(out.size() - 1) == 0.0) {
            out.remove(out.size() - 1); // trailing degrees no seed reached
        }
        return out;
    }

    @Test
    void sameSeedsSameResult() {
        WeightedGraph ga = coActivation(ATLAS.saes().get(0));
        WeightedGraph gb = coActivation(ATLAS.saes().get(1));
        ComparisonParameters p = new ComparisonParameters(3, 7, 5, 20);
        assertEquals(GraphComparison.compare(ga, gb, ATLAS.truth().bOfA(), p, Progress.NONE),
                GraphComparison.compare(ga, gb, ATLAS.truth().bOfA(), p, Progress.NONE));
        GraphComparison.Result self = GraphComparison.compare(ga, ga, null, p, Progress.NONE);
        assertEquals(0.0, self.degreeJsd());
        assertEquals(0.0, self.strengthJsd());
        assertEquals(null, self.overlap());
    }
}
