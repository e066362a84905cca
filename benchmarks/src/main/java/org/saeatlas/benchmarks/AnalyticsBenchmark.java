package org.saeatlas.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.graphs.ConnectedComponents;
import org.saeatlas.compute.graphs.Distributions;
import org.saeatlas.compute.graphs.GraphShapes;
import org.saeatlas.compute.graphs.Shape;
import org.saeatlas.compute.graphs.ShapeParameters;
import org.saeatlas.compute.graphs.WeightedGraph;
import org.saeatlas.compute.matching.CandidateSet;
import org.saeatlas.compute.matching.FeatureMatcher;
import org.saeatlas.compute.matching.FeatureMatches;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.compute.matching.Similarity;
import org.saeatlas.compute.matching.StructuralMatcher;
import org.saeatlas.compute.sae.CosineTopK;

/**
 * Prints the time of the pure {@code compute} analytics at atlas scale (plain main, not run by the build):
 * <ol>
 *   <li>matching two SAEs by decoder cosine ({@link FeatureMatcher#byDecoderCosine}, top-k both ways, assignment,
 *       mutual nearest, one-to-many): random unit decoders {@code features x dIn}, B holding a planted share of A's
 *       rows (permuted, plus noise) and fresh random rows otherwise; prints the share of planted pairs recovered;</li>
 *   <li>a graph of {@code nodes} nodes and {@code edges} edges with planted modules of 32 nodes (90% of edges inside
 *       modules): connected components, degree and strength distributions, shapes of every component and of every
 *       planted module (standing in for communities; GDS Leiden needs a database and is timed by the analyse
 *       command, not here);</li>
 *   <li>structural matching ({@link StructuralMatcher}) of that graph with a relabelled copy of itself.</li>
 * </ol>
 * Usage: {@code AnalyticsBenchmark [features=16384] [dIn=2304] [nodes=131072] [edges=1000000] [threads=2]
 * [shared=0.5] [engine=java|cpu|gpu|auto]} (features 0 skips the matching; the engine computes the decoder cosine); needs about 2 x features x dIn x 4 bytes of heap plus the graph (-Xmx2g at the defaults).
 */
public final class AnalyticsBenchmark {
    private AnalyticsBenchmark() {
    }

    public static void main(String[] args) {
        int features = args.length > 0 ? Integer.parseInt(args[0]) : 16_384;
        int dIn = args.length > 1 ? Integer.parseInt(args[1]) : 2_304;
        int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 131_072;
        int edges = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        double shared = args.length > 5 ? Double.parseDouble(args[5]) : 0.5;
        String engine = args.length > 6 ? args[6] : "java";
        System.out.printf(Locale.ROOT, "cores available %d, threads %d, max heap %.1f GB%n",
                Runtime.getRuntime().availableProcessors(), threads, Runtime.getRuntime().maxMemory() / 1e9);
        WeightedGraph g = graphs(nodes, edges);
        if (features > 0) {
            matching(features, dIn, threads, shared, engine);
        }
        structural(g, threads);
    }

    private static void matching(int p, int d, int threads, double shared, String engineChoice) {
        Random rnd = new Random(11);
        float[] a = new float[p * d];
        float[] b = new float[p * d];
        for (int i = 0; i < p; i++) {
            unit(rnd, a, i, d, null, 0);
        }
        int[] perm = permutation(rnd, p);
        int planted = (int) Math.round(shared * p);
        int[] truth = new int[p];
        Arrays.fill(truth, -1);
        for (int i = 0; i < p; i++) {
            int j = perm[i];
            if (i < planted) {
                unit(rnd, b, j, d, a, i); // A's row i plus noise (cosine ~0.9)
                truth[i] = j;
            } else {
                unit(rnd, b, j, d, null, 0);
            }
        }
        MatchParameters params = new MatchParameters(10, 0.7, 0.5, 3, threads);
        ComputeEngine engine = BenchEngines.of(engineChoice, threads);
        CosineTopK cosine = engine.cosine();
        long t0 = System.nanoTime();
        CosineTopK.CrossNeighbours both = cosine.both(a, p, b, p, d, params.k(), BenchEngines.progress());
        double cosSecs = (System.nanoTime() - t0) / 1e9;
        engine.close();
        FeatureMatches m = FeatureMatcher.match(CandidateSet.ofNeighbours(both.aInB(), both.bInA()),
                Similarity.DECODER_COSINE, params, Progress.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        int[] got = m.assignment().partnerOfA();
        int right = 0;
        int wrong = 0;
        for (int i = 0; i < p; i++) {
            right += got[i] >= 0 && got[i] == truth[i] ? 1 : 0;
            wrong += got[i] >= 0 && got[i] != truth[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "match by decoder cosine [%s], %,d x %,d features, d_in %,d, %d threads:"
                        + " %.1f s, of which cosine top-%d both ways (one pass) %.1f s (%,d candidate pairs, assignment %,d, mutual nearest %,d); planted %,d:"
                        + " %,d recovered, %,d other matches%n", cosine.name(), p, p, d, threads, secs, params.k(), cosSecs,
                m.candidates().size(), m.assignment().matches().size(), m.mutualNearest().matches().size(), planted,
                right, wrong);
    }

    /** Row {@code row} of {@code out}: a random unit vector, or {@code base}'s row plus noise, normalised. */
    private static void unit(Random rnd, float[] out, int row, int d, float[] base, int baseRow) {
        double norm = 0;
        double noise = base == null ? 1 : 0.5 / Math.sqrt(d);
        for (int k = 0; k < d; k++) {
            double v = rnd.nextGaussian() * noise + (base == null ? 0 : base[baseRow * d + k]);
            out[row * d + k] = (float) v;
            norm += v * v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < d; k++) {
            out[row * d + k] *= inv;
        }
    }

    private static int[] permutation(Random rnd, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    private static WeightedGraph graphs(int n, int m) {
        Random rnd = new Random(5);
        int moduleSize = 32;
        int[] u = new int[m];
        int[] v = new int[m];
        double[] w = new double[m];
        java.util.Set<Long> seen = new java.util.HashSet<>(2 * m);
        int drawn = 0;
        for (int e = 0; e < m; ) {
            int x = rnd.nextInt(n);
            int y = rnd.nextDouble() < 0.9 ? x / moduleSize * moduleSize + rnd.nextInt(moduleSize) : rnd.nextInt(n);
            y = Math.min(y, n - 1);
            drawn++;
            if (y == x || !seen.add((long) Math.min(x, y) << 32 | Math.max(x, y))) {
                continue; // distinct edges only
            }
            u[e] = x;
            v[e] = y;
            w[e] = 0.1 + rnd.nextDouble();
            e++;
        }
        long t0 = System.nanoTime();
        WeightedGraph g = WeightedGraph.fromEdges(n, u, v, w);
        double build = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        ConnectedComponents cc = ConnectedComponents.of(g);
        double comps = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        long[] degrees = Distributions.degreeCounts(g);
        long[] strengths = Distributions.strengthCounts(g, Distributions.strengthBins(30, g));
        double dist = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        List<Shape> componentShapes = GraphShapes.ofPartition(g, cc.componentOf(), null, ShapeParameters.defaults(),
                Progress.NONE);
        double compShapes = (System.nanoTime() - t0) / 1e9;
        int[] modules = new int[n];
        for (int x = 0; x < n; x++) {
            modules[x] = x / moduleSize;
        }
        t0 = System.nanoTime();
        List<Shape> moduleShapes = GraphShapes.ofPartition(g, modules, null, ShapeParameters.defaults(),
                Progress.NONE);
        double modShapes = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "graph %,d nodes, %,d edges (distinct, %,d pairs drawn): build %.2f s, components"
                        + " %.2f s (%,d, largest %,d), degree + strength distributions %.2f s (%d + %d bins), shapes of"
                        + " the components %.2f s, shapes of %,d planted modules %.2f s%n", n, g.edgeCount(), drawn,
                build, comps, cc.sizes().length, Arrays.stream(cc.sizes()).max().orElse(0), dist, degrees.length,
                strengths.length, compShapes, moduleShapes.size(), modShapes);
        return g;
    }

    private static void structural(WeightedGraph g, int threads) {
        int n = g.nodes();
        WeightedGraph.Edges edges = g.edges();
        int m = edges.size();
        int[] perm = permutation(new Random(13), n);
        int[] pu = new int[m];
        int[] pv = new int[m];
        for (int e = 0; e < m; e++) {
            pu[e] = perm[edges.u()[e]];
            pv[e] = perm[edges.v()[e]];
        }
        WeightedGraph h = WeightedGraph.fromEdges(n, pu, pv, edges.w());
        long t0 = System.nanoTime();
        FeatureMatches s = StructuralMatcher.match(g, h, new MatchParameters(10, 0.7, 0.5, 1, threads),
                Progress.NONE);
        double structural = (System.nanoTime() - t0) / 1e9;
        int[] got = s.assignment().partnerOfA();
        int right = 0;
        for (int x = 0; x < n; x++) {
            right += got[x] == perm[x] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "structural matching of that graph with a relabelled copy: %.2f s (%,d candidate"
                + " pairs, assignment %,d, %,d to the true partner)%n", structural, s.candidates().size(),
                s.assignment().matches().size(), right);
    }
}
