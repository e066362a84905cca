package org.saeatlas.compute.connections;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.IntList;
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

    /**
     * How many downstream features of each kind, and the shape of the data.
     *
     * @param activePerToken 0: every upstream feature fires with its own probability, drawn per token and feature
     *                       (O(features) per token, for small layers); above 0: the sparse-rate generator, in which
     *                       each token draws only its active features, about {@code activePerToken} independent
     *                       firings per token (plus shadows and gate seconds), at O(active) per token, so SAE-sized
     *                       layers (16,384 features, 200k tokens) generate in seconds
     */
    public record Spec(int tokens, int freeUpstream, int shadows, int or, int andNot, int and, int product, int xor,
                       int noise, long seed, double activePerToken) {
        public Spec {
            if (tokens < 100 || freeUpstream < 3 || shadows < 0 || shadows > freeUpstream || or < 0 || andNot < 0
                    || and < 0 || product < 0 || xor < 0 || noise < 0) {
                throw new AtlasException("planted layers: need >= 100 tokens, >= 3 free upstream features, shadows"
                        + " <= free upstream features and non-negative counts");
            }
            if (!(activePerToken >= 0) || activePerToken > freeUpstream / 4.0) {
                throw new AtlasException("planted layers: active features per token must be in [0, free upstream"
                        + " features / 4 = " + freeUpstream / 4.0 + "], found " + activePerToken);
            }
        }

        /** The dense generator (each feature drawn per token). */
        public Spec(int tokens, int freeUpstream, int shadows, int or, int andNot, int and, int product, int xor,
                    int noise, long seed) {
            this(tokens, freeUpstream, shadows, or, andNot, and, product, xor, noise, seed, 0);
        }

        public static Spec small(long seed) {
            return new Spec(20_000, 240, 30, 40, 10, 10, 6, 6, 20, seed);
        }

        /**
         * SAE-sized layers of {@code features} upstream and {@code features} downstream features with about
         * {@code active} independent upstream firings per token (sparse-rate generator). Upstream: 1/16 shadows,
         * 3/16 gate inputs, the rest free; downstream: 1/32 each AND NOT and AND, 1/64 each PRODUCT and XOR, 1/16
         * noise, the rest OR.
         */
        public static Spec sized(int features, int tokens, double active, long seed) {
            if (features < 256) {
                throw new AtlasException("planted layers: sized layers need >= 256 features, found " + features);
            }
            int andNot = features / 32;
            int and = features / 32;
            int product = features / 64;
            int xor = features / 64;
            int gates = andNot + and + product + xor;
            int shadows = features / 16;
            int free = features - shadows - 2 * gates;
            int noise = features / 16;
            int or = features - gates - noise;
            return new Spec(tokens, free, shadows, or, andNot, and, product, xor, noise, seed, active);
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
        if (s.activePerToken() > 0) {
            return generateSparse(s);
        }
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

    /**
     * The sparse-rate generator: the same kinds and truth as the dense one, but each token draws a Poisson number
     * of firings (mean {@code activePerToken}) from the independently firing units (free features, first gate
     * inputs, the own firing of second gate inputs), each unit with probability proportional to its rate; shadows
     * and gate seconds follow their parents as in the dense generator; only the downstream features of an active
     * upstream feature (and the noise features drawn the same way) are evaluated. O(active) per token.
     */
    static PlantedLayers generateSparse(Spec s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        int gates = s.andNot() + s.and() + s.product() + s.xor();
        int free = s.freeUpstream();
        int pA = free + s.shadows() + 2 * gates;
        int pB = s.or() + gates + s.noise();
        int n = s.tokens();
        // units: 0..free-1 free features; free..free+gates-1 first gate inputs; then second inputs firing alone
        int units = free + 2 * gates;
        int firstGate = free + s.shadows();
        int[][] shadowsOf = new int[free][];
        int[] pool = shuffled(free, rng);
        int[] shadowCount = new int[free];
        for (int x = 0; x < s.shadows(); x++) {
            shadowCount[pool[x]]++;
        }
        for (int a = 0; a < free; a++) {
            shadowsOf[a] = new int[shadowCount[a]];
            shadowCount[a] = 0;
        }
        for (int x = 0; x < s.shadows(); x++) {
            shadowsOf[pool[x]][shadowCount[pool[x]]++] = free + x;
        }
        Kind[] kinds = new Kind[pB];
        int[][] truth = new int[pB][];
        int[][] signs = new int[pB][];
        double[][] weights = new double[pB][];
        int f = 0;
        for (int x = 0; x < s.or(); x++, f++) {
            kinds[f] = Kind.OR;
            int terms = 2 + rng.nextInt(2);
            int[] pick = new int[terms];
            for (int k = 0; k < terms; k++) {
                int c;
                boolean dup;
                do {
                    c = rng.nextInt(free);
                    dup = false;
                    for (int j = 0; j < k; j++) {
                        dup |= pick[j] == c;
                    }
                } while (dup);
                pick[k] = c;
            }
            Arrays.sort(pick);
            truth[f] = pick;
            signs[f] = new int[terms];
            Arrays.fill(signs[f], 1);
            weights[f] = new double[terms];
            for (int k = 0; k < terms; k++) {
                weights[f][k] = 0.4 + 0.8 * rng.nextDouble();
            }
        }
        Kind[] gateKinds = new Kind[gates];
        int g = 0;
        for (Kind k : new Kind[] {Kind.AND_NOT, Kind.AND, Kind.PRODUCT, Kind.XOR}) {
            int count = k == Kind.AND_NOT ? s.andNot() : k == Kind.AND ? s.and() : k == Kind.PRODUCT ? s.product()
                    : s.xor();
            for (int x = 0; x < count; x++, g++, f++) {
                int a1 = firstGate + 2 * g;
                gateKinds[g] = k;
                kinds[f] = k;
                truth[f] = new int[] {a1, a1 + 1};
                signs[f] = new int[] {1, k == Kind.AND_NOT ? -1 : 1};
                weights[f] = new double[] {1, 1};
            }
        }
        // unit weights (AND NOT's inhibitor never fires alone), scaled so that they sum to activePerToken
        double[] cum = new double[units];
        double total = 0;
        for (int u = 0; u < units; u++) {
            boolean silent = u >= free + gates && gateKinds[u - free - gates] == Kind.AND_NOT;
            total += silent ? 0 : 0.5 + rng.nextDouble();
            cum[u] = total;
        }
        int firstNoise = f;
        double meanRate = s.activePerToken() / (units - s.andNot());
        double[] noiseCum = new double[s.noise()];
        double noiseTotal = 0;
        for (int x = 0; x < s.noise(); x++, f++) {
            kinds[f] = Kind.NOISE;
            truth[f] = new int[0];
            signs[f] = new int[0];
            noiseTotal += meanRate * (0.5 + rng.nextDouble());
            noiseCum[x] = noiseTotal;
        }
        // which downstream features read each upstream feature
        int[] readers = new int[pA];
        for (int b = 0; b < firstNoise; b++) {
            for (int a : truth[b]) {
                readers[a]++;
            }
        }
        int[][] readBy = new int[pA][];
        for (int a = 0; a < pA; a++) {
            readBy[a] = new int[readers[a]];
            readers[a] = 0;
        }
        for (int b = 0; b < firstNoise; b++) {
            for (int a : truth[b]) {
                readBy[a][readers[a]++] = b;
            }
        }
        double[] row = new double[pA];
        double[] out = new double[pB];
        int[] touchedA = new int[64];
        int[] touchedB = new int[64];
        int[] stampB = new int[pB];
        Arrays.fill(stampB, -1);
        int capacity = (int) Math.min(Integer.MAX_VALUE - 64, n * (s.activePerToken() * 1.25 + 4));
        IntList aF = new IntList(capacity);
        FloatBuffer aV = new FloatBuffer(capacity);
        IntList bF = new IntList(capacity);
        FloatBuffer bV = new FloatBuffer(capacity);
        int[] aPtr = new int[n + 1];
        int[] bPtr = new int[n + 1];
        double expNeg = Math.exp(-s.activePerToken());
        double noiseExpNeg = Math.exp(-noiseTotal);
        for (int t = 0; t < n; t++) {
            int na = 0;
            for (int k = poisson(expNeg, rng); k > 0; k--) {
                int u = draw(cum, total * rng.nextDouble());
                if (u < free) {
                    if (row[u] == 0) {
                        row[u] = 0.5 + 1.5 * rng.nextDouble();
                        touchedA = push(touchedA, na++, u);
                    }
                } else if (u < free + gates) {
                    int x = u - free;
                    int a1 = firstGate + 2 * x;
                    if (row[a1] == 0) {
                        boolean gated = gateKinds[x] == Kind.AND || gateKinds[x] == Kind.AND_NOT;
                        row[a1] = gated ? 1.2 + 0.8 * rng.nextDouble() : 0.5 + 1.5 * rng.nextDouble();
                        touchedA = push(touchedA, na++, a1);
                    }
                } else {
                    int x = u - free - gates;
                    int a2 = firstGate + 2 * x + 1;
                    if (gateKinds[x] != Kind.AND_NOT && row[a2] == 0) {
                        row[a2] = secondValue(gateKinds[x], rng);
                        touchedA = push(touchedA, na++, a2);
                    }
                }
            }
            int independent = na;
            for (int i = 0; i < independent; i++) {
                int a = touchedA[i];
                if (a < free) {
                    for (int sh : shadowsOf[a]) {
                        if (rng.nextDouble() < 0.5) {
                            row[sh] = 0.5 + 1.5 * rng.nextDouble();
                            touchedA = push(touchedA, na++, sh);
                        }
                    }
                } else if ((a - firstGate) % 2 == 0) {
                    int x = (a - firstGate) / 2;
                    if (row[a + 1] == 0 && rng.nextDouble() < 0.5) {
                        row[a + 1] = secondValue(gateKinds[x], rng);
                        touchedA = push(touchedA, na++, a + 1);
                    }
                }
            }
            int nb = 0;
            for (int i = 0; i < na; i++) {
                for (int b : readBy[touchedA[i]]) {
                    if (stampB[b] != t) {
                        stampB[b] = t;
                        touchedB = push(touchedB, nb++, b);
                    }
                }
            }
            for (int k = poisson(noiseExpNeg, rng); k > 0; k--) {
                int b = firstNoise + draw(noiseCum, noiseTotal * rng.nextDouble());
                if (stampB[b] != t) {
                    stampB[b] = t;
                    touchedB = push(touchedB, nb++, b);
                }
            }
            for (int i = 0; i < nb; i++) {
                int b = touchedB[i];
                int[] in = truth[b];
                double y = switch (kinds[b]) {
                    case OR -> {
                        double v = 0;
                        for (int x = 0; x < in.length; x++) {
                            v += weights[b][x] * row[in[x]];
                        }
                        yield v;
                    }
                    case AND_NOT -> row[in[0]] > 0 ? row[in[0]] - 0.5 * row[in[1]] : 0;
                    case AND -> Math.max(0, row[in[0]] + row[in[1]] - 2.2);
                    case PRODUCT -> row[in[0]] * row[in[1]];
                    case XOR -> row[in[0]] > 0 && row[in[1]] > 0 ? 0 : row[in[0]] + row[in[1]];
                    default -> 0.5 + 1.5 * rng.nextDouble();
                };
                out[b] = y > 0 ? Math.max(1e-3, y + 0.03 * gaussian(rng)) : 0;
            }
            Arrays.sort(touchedA, 0, na);
            for (int i = 0; i < na; i++) {
                aF.add(touchedA[i]);
                aV.add((float) row[touchedA[i]]);
                row[touchedA[i]] = 0;
            }
            aPtr[t + 1] = aF.size();
            Arrays.sort(touchedB, 0, nb);
            for (int i = 0; i < nb; i++) {
                int b = touchedB[i];
                if (out[b] != 0) {
                    bF.add(b);
                    bV.add((float) out[b]);
                    out[b] = 0;
                }
            }
            bPtr[t + 1] = bF.size();
        }
        return new PlantedLayers(new SparseActivations(n, pA, aPtr, aF.toArray(), aV.trimmed()),
                new SparseActivations(n, pB, bPtr, bF.toArray(), bV.trimmed()), kinds, truth, signs);
    }

    private static double secondValue(Kind k, SplittableRandom rng) {
        return k == Kind.AND_NOT ? 0.5 + 0.5 * rng.nextDouble()
                : k == Kind.AND ? 1.2 + 0.8 * rng.nextDouble() : 0.5 + 1.5 * rng.nextDouble();
    }

    /** A Poisson draw by multiplying uniforms ({@code expNeg = e^-mean}; means up to a few hundred). */
    private static int poisson(double expNeg, SplittableRandom rng) {
        int k = 0;
        double prod = rng.nextDouble();
        while (prod > expNeg) {
            k++;
            prod *= rng.nextDouble();
        }
        return k;
    }

    /** The first index whose cumulative weight exceeds {@code x}. */
    private static int draw(double[] cum, double x) {
        int i = Arrays.binarySearch(cum, x);
        return Math.min(cum.length - 1, i >= 0 ? i + 1 : -i - 1);
    }

    private static int[] push(int[] a, int at, int v) {
        if (at == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[at] = v;
        return a;
    }

    private static final class FloatBuffer {
        float[] data;
        int size;

        FloatBuffer(int capacity) {
            data = new float[Math.max(16, capacity)];
        }

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length + (data.length >> 1));
            }
            data[size++] = v;
        }

        float[] trimmed() {
            return Arrays.copyOf(data, size);
        }
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
