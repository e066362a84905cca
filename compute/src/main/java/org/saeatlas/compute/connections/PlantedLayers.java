package org.saeatlas.compute.connections;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;

/**
 * Two layers of sparse activations with known connections, for measuring the connection method. Upstream features
 * fire independently (probability 1-4%, values 0.5-2) except planted dependencies inside A: "shadows" that fire only
 * with a parent (half of its tokens) and have no downstream effect (a marginal correlate a conditional method must
 * reject), and the pairs of the two-input gates, whose second input fires on half of the first one's tokens (and on
 * its own too, for XOR and AND). Downstream features, each plus Gaussian noise (sd 0.03) where it fires:
 * <ul>
 *   <li>OR: {@code sum w_i a_i} over 2-3 independent upstream features, w in [0.4, 1.2] (linear);</li>
 *   <li>AND NOT: {@code a1 - 0.5 a2} with a2 firing only with a1 and a1 in [1.2, 2], a2 in [0.5, 1] (linear, one
 *   negative weight, the published "said" but not after a quote);</li>
 *   <li>AND: {@code relu(a1 + a2 - 2.2)} with both inputs in [1.2, 2] (a ReLU threshold);</li>
 *   <li>PRODUCT: {@code a1 a2} (nonlinear);</li>
 *   <li>XOR: a1 where only a1 fires, a2 where only a2 fires, 0 where both do (nonlinear);</li>
 *   <li>NOISE: fires at random, no upstream feature (no connection).</li>
 * </ul>
 *
 * @param upstream   A's activations
 * @param downstream B's activations
 * @param kinds      the kind of each downstream feature
 * @param truth      per downstream feature its planted upstream inputs and the expected sign of each weight
 */
public record PlantedLayers(SparseActivations upstream, SparseActivations downstream, Kind[] kinds,
                            int[][] truth, int[][] truthSigns) {

    /** How a planted downstream feature is computed. */
    public enum Kind {
        OR(true), AND_NOT(true), AND(false), PRODUCT(false), XOR(false), NOISE(true);

        private final boolean linear;

        Kind(boolean linear) {
            this.linear = linear;
        }

        /** Whether a linear map computes it exactly (up to the noise). AND is a threshold: not linear. */
        public boolean linear() {
            return linear;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** How many downstream features of each kind, and the shape of the data. */
    public record Spec(int tokens, int freeUpstream, int shadows, int or, int andNot, int and, int product, int xor,
                       int noise, long seed) {
        public Spec {
            if (tokens < 100 || freeUpstream < 3 || shadows < 0 || shadows > freeUpstream || or < 0 || andNot < 0
                    || and < 0 || product < 0 || xor < 0 || noise < 0) {
                throw new AtlasException("planted layers: need >= 100 tokens, >= 3 free upstream features, shadows"
                        + " <= free upstream features and non-negative counts");
            }
        }

        public static Spec small(long seed) {
            return new Spec(20_000, 240, 30, 40, 10, 10, 6, 6, 20, seed);
        }
    }

    public int plantedConnections() {
        int s = 0;
        for (int[] t : truth) {
            s += t.length;
        }
        return s;
    }

    public static PlantedLayers generate(Spec s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        int gates = s.andNot() + s.and() + s.product() + s.xor();
        int pA = s.freeUpstream() + s.shadows() + 2 * gates;
        int pB = s.or() + gates + s.noise();
        int n = s.tokens();
        double[] rate = new double[pA];
        for (int a = 0; a < pA; a++) {
            rate[a] = 0.01 + 0.03 * rng.nextDouble();
        }
        int[] shadowOf = new int[pA];
        Arrays.fill(shadowOf, -1);
        int[] pool = shuffled(s.freeUpstream(), rng);
        for (int x = 0; x < s.shadows(); x++) {
            shadowOf[s.freeUpstream() + x] = pool[x];
        }
        Kind[] kinds = new Kind[pB];
        int[][] truth = new int[pB][];
        int[][] signs = new int[pB][];
        int f = 0;
        for (int x = 0; x < s.or(); x++, f++) {
            kinds[f] = Kind.OR;
            int terms = 2 + rng.nextInt(2);
            int[] pick = shuffled(s.freeUpstream(), rng);
            truth[f] = Arrays.copyOf(pick, terms);
            Arrays.sort(truth[f]);
            signs[f] = new int[terms];
            Arrays.fill(signs[f], 1);
        }
        int next = s.freeUpstream() + s.shadows();
        // gate pairs: second input (next + 1) fires on half of the first one's tokens
        int[] pairFirst = new int[gates];
        Kind[] gateKinds = new Kind[gates];
        int g = 0;
        for (Kind k : new Kind[] {Kind.AND_NOT, Kind.AND, Kind.PRODUCT, Kind.XOR}) {
            int count = k == Kind.AND_NOT ? s.andNot() : k == Kind.AND ? s.and() : k == Kind.PRODUCT ? s.product()
                    : s.xor();
            for (int x = 0; x < count; x++, g++, f++) {
                int a1 = next + 2 * g;
                int a2 = a1 + 1;
                pairFirst[g] = a1;
                gateKinds[g] = k;
                kinds[f] = k;
                truth[f] = new int[] {a1, a2};
                signs[f] = new int[] {1, k == Kind.AND_NOT ? -1 : 1};
            }
        }
        for (int x = 0; x < s.noise(); x++, f++) {
            kinds[f] = Kind.NOISE;
            truth[f] = new int[0];
            signs[f] = new int[0];
        }
        double[][] weights = new double[pB][];
        for (int b = 0; b < pB; b++) {
            weights[b] = new double[truth[b].length];
            for (int x = 0; x < truth[b].length; x++) {
                weights[b][x] = kinds[b] == Kind.OR ? 0.4 + 0.8 * rng.nextDouble() : 1;
            }
        }
        // upstream rows
        double[] row = new double[pA];
        double[] out = new double[pB];
        List<int[]> aIdx = new ArrayList<>();
        List<float[]> aVal = new ArrayList<>();
        List<int[]> bIdx = new ArrayList<>();
        List<float[]> bVal = new ArrayList<>();
        double[] noiseRate = new double[pB];
        for (int b = 0; b < pB; b++) {
            noiseRate[b] = 0.01 + 0.02 * rng.nextDouble();
        }
        for (int t = 0; t < n; t++) {
            Arrays.fill(row, 0);
            for (int a = 0; a < s.freeUpstream(); a++) {
                if (rng.nextDouble() < rate[a]) {
                    row[a] = 0.5 + 1.5 * rng.nextDouble();
                }
            }
            for (int a = s.freeUpstream(); a < s.freeUpstream() + s.shadows(); a++) {
                if (row[shadowOf[a]] > 0 && rng.nextDouble() < 0.5) {
                    row[a] = 0.5 + 1.5 * rng.nextDouble();
                }
            }
            for (int x = 0; x < gates; x++) {
                int a1 = pairFirst[x];
                Kind k = gateKinds[x];
                boolean gated = k == Kind.AND || k == Kind.AND_NOT;
                if (rng.nextDouble() < rate[a1]) {
                    row[a1] = gated ? 1.2 + 0.8 * rng.nextDouble() : 0.5 + 1.5 * rng.nextDouble();
                }
                boolean second = row[a1] > 0 ? rng.nextDouble() < 0.5
                        : k != Kind.AND_NOT && rng.nextDouble() < rate[a1 + 1];
                if (second) {
                    row[a1 + 1] = k == Kind.AND_NOT ? 0.5 + 0.5 * rng.nextDouble()
                            : k == Kind.AND ? 1.2 + 0.8 * rng.nextDouble() : 0.5 + 1.5 * rng.nextDouble();
                }
            }
            for (int b = 0; b < pB; b++) {
                int[] in = truth[b];
                double y;
                switch (kinds[b]) {
                    case OR -> {
                        y = 0;
                        for (int x = 0; x < in.length; x++) {
                            y += weights[b][x] * row[in[x]];
                        }
                    }
                    case AND_NOT -> y = row[in[0]] > 0 ? row[in[0]] - 0.5 * row[in[1]] : 0;
                    case AND -> y = Math.max(0, row[in[0]] + row[in[1]] - 2.2);
                    case PRODUCT -> y = row[in[0]] * row[in[1]];
                    case XOR -> y = row[in[0]] > 0 && row[in[1]] > 0 ? 0 : row[in[0]] + row[in[1]];
                    default -> y = rng.nextDouble() < noiseRate[b] ? 0.5 + 1.5 * rng.nextDouble() : 0;
                }
                out[b] = y > 0 ? Math.max(1e-3, y + 0.03 * gaussian(rng)) : 0;
            }
            aIdx.add(nonZero(row));
            aVal.add(values(row, aIdx.get(t)));
            bIdx.add(nonZero(out));
            bVal.add(values(out, bIdx.get(t)));
        }
        return new PlantedLayers(csr(n, pA, aIdx, aVal), csr(n, pB, bIdx, bVal), kinds, truth, signs);
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }

    private static int[] nonZero(double[] row) {
        int m = 0;
        for (double v : row) {
            m += v != 0 ? 1 : 0;
        }
        int[] idx = new int[m];
        m = 0;
        for (int i = 0; i < row.length; i++) {
            if (row[i] != 0) {
                idx[m++] = i;
            }
        }
        return idx;
    }

    private static float[] values(double[] row, int[] idx) {
        float[] v = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            v[i] = (float) row[idx[i]];
        }
        return v;
    }

    private static SparseActivations csr(int n, int p, List<int[]> idx, List<float[]> val) {
        int[] ptr = new int[n + 1];
        for (int t = 0; t < n; t++) {
            ptr[t + 1] = ptr[t] + idx.get(t).length;
        }
        int[] f = new int[ptr[n]];
        float[] v = new float[ptr[n]];
        for (int t = 0; t < n; t++) {
            System.arraycopy(idx.get(t), 0, f, ptr[t], idx.get(t).length);
            System.arraycopy(val.get(t), 0, v, ptr[t], val.get(t).length);
        }
        return new SparseActivations(n, p, ptr, f, v);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
