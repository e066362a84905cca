package org.saeatlas.compute.planted;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.saeatlas.compute.SparseActivations;

/**
 * Sparse, non-negative, heavy-tailed SAE-like activations with a known conditional-dependence graph.
 *
 * <p>Sources fire independently per token at their rate (drawn by geometric gaps, O(firings)) with a log-normal
 * magnitude: roots of hierarchies, hidden causes of modules, and independent features. In a hierarchy a child fires
 * only when its parent does, with probability pi in [0.3, 0.8], at {@code parent value * gain * exp(0.3 N(0,1))}.
 * Hence {@code E[child | everything else] = pi gain E[noise] * parent}: linear in the parent alone, so in the nodewise
 * regressions the population coefficient of a sibling, grandparent or cousin is exactly zero and the planted edges
 * are exactly the parent-child pairs. Module members fire with probability pi in [0.5, 0.9] when their hidden cause
 * fires, at {@code cause value * gain * noise}; the cause is unobserved, so members form a clique. Features are
 * placed at random indices. Cost O(nnz log a) for a active features per token.
 *
 * @param activations the generated matrix
 * @param truthI      planted edges, smaller index (sorted by (i, j))
 * @param truthJ      planted edges, larger index
 * @param component   per feature its planted connected component (independent features are singletons)
 * @param truthKind   per planted edge, what planted it
 */
public record PlantedGraph(SparseActivations activations, int[] truthI, int[] truthJ, int[] component,
                           Structure[] truthKind) {

    /** What a found edge is against the truth. */
    public enum EdgeKind { TRUE, INDIRECT, CHANCE }

    /** What planted an edge: a parent-child pair of a hierarchy, two members of a module, a near-duplicate pair. */
    public enum Structure { HIERARCHY, MODULE, DUPLICATE }

    /** Per kind of planted structure, how many of its edges {@code found} contains, and how many there are. */
    public java.util.Map<Structure, int[]> recallByKind(int[] foundI, int[] foundJ) {
        java.util.Map<Structure, int[]> out = new java.util.EnumMap<>(Structure.class);
        for (Structure k : truthKind) {
            out.computeIfAbsent(k, x -> new int[2])[1]++;
        }
        long[] keys = new long[foundI.length];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = (long) Math.min(foundI[k], foundJ[k]) * component.length + Math.max(foundI[k], foundJ[k]);
        }
        Arrays.sort(keys);
        for (int e = 0; e < truthI.length; e++) {
            if (Arrays.binarySearch(keys, (long) truthI[e] * component.length + truthJ[e]) >= 0) {
                out.get(truthKind[e])[0]++;
            }
        }
        return out;
    }

    /** Precision/recall of a found edge set, split by kind of false edge. */
    public record Score(int found, int trueEdges, int indirect, int chance, int planted) {
        public double precision() {
            return found == 0 ? 1.0 : trueEdges / (double) found;
        }

        public double recall() {
            return planted == 0 ? 1.0 : trueEdges / (double) planted;
        }

        public double f1() {
            double pr = precision();
            double re = recall();
            return pr + re == 0 ? 0.0 : 2 * pr * re / (pr + re);
        }

        /** Realised share of chance edges among those found: what a shuffle null can estimate. */
        public double chanceShare() {
            return found == 0 ? 0.0 : chance / (double) found;
        }
    }

    public int plantedEdges() {
        return truthI.length;
    }

    /** TRUE for a planted edge, INDIRECT for a pair joined by a planted path of length >= 2, CHANCE otherwise. */
    public EdgeKind classify(int i, int j) {
        int lo = Math.min(i, j);
        int hi = Math.max(i, j);
        if (isTruth(lo, hi)) {
            return EdgeKind.TRUE;
        }
        return component[lo] == component[hi] ? EdgeKind.INDIRECT : EdgeKind.CHANCE;
    }

    public Score score(int[] foundI, int[] foundJ) {
        int t = 0;
        int ind = 0;
        int ch = 0;
        for (int k = 0; k < foundI.length; k++) {
            switch (classify(foundI[k], foundJ[k])) {
                case TRUE -> t++;
                case INDIRECT -> ind++;
                default -> ch++;
            }
        }
        return new Score(foundI.length, t, ind, ch, truthI.length);
    }

    private boolean isTruth(int lo, int hi) {
        int from = lowerBound(truthI, lo);
        for (int k = from; k < truthI.length && truthI[k] == lo; k++) {
            if (truthJ[k] == hi) {
                return true;
            }
        }
        return false;
    }

    private static int lowerBound(int[] a, int v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public static PlantedGraph generate(PlantedSpec spec) {
        return new Generator(spec).build();
    }

    /** Builds the structure, then the tokens. */
    private static final class Generator {
        final PlantedSpec spec;
        final SplittableRandom rng;
        final int p;
        final int[] ids;
        final List<Source> sources = new ArrayList<>();
        final List<long[]> edges = new ArrayList<>();
        final int[] component;
        Entries entries;

        Generator(PlantedSpec spec) {
            this.spec = spec;
            this.rng = new SplittableRandom(spec.seed());
            this.p = spec.features();
            this.ids = shuffled(p, rng);
            this.component = new int[p];
        }

        PlantedGraph build() {
            int at = 0;
            int hierarchyEnd = (int) Math.round(spec.hierarchyShare() * p);
            int moduleEnd = hierarchyEnd + (int) Math.round(spec.moduleShare() * p);
            while (at + 3 <= hierarchyEnd) {
                at = tree(at, Math.min(hierarchyEnd - at, 3 + rng.nextInt(5)));
            }
            at = Math.max(at, hierarchyEnd);
            int span = spec.moduleMax() - spec.moduleMin() + 1;
            while (at + spec.moduleMin() <= moduleEnd) {
                at = module(at, Math.min(moduleEnd - at, spec.moduleMin() + rng.nextInt(span)));
            }
            int duplicateEnd = at + (int) Math.round(spec.duplicateShare() * p);
            while (at + 2 <= duplicateEnd) {
                at = duplicatePair(at);
            }
            for (; at < p; at++) {
                Source s = new Source(rate());
                s.children.add(new Child(ids[at], 1.0, 1.0, 0.3, new ArrayList<>(), true));
                component[ids[at]] = ids[at];
                sources.add(s);
            }
            entries = new Entries(spec.tokens());
            for (Source s : sources) {
                fire(s);
            }
            return new PlantedGraph(entries.toMatrix(p), truth(0), truth(1), component, kinds());
        }

        /** A tree of {@code size} features from ids[at..]: node k attaches to a random earlier node of depth < 2. */
        private int tree(int at, int size) {
            int[] depth = new int[size];
            Child[] nodes = new Child[size];
            Source s = new Source(rate());
            nodes[0] = new Child(ids[at], 1.0, 1.0, 0.3, new ArrayList<>(), true);
            s.children.add(nodes[0]);
            for (int k = 1; k < size; k++) {
                int parent;
                do {
                    parent = rng.nextInt(k);
                } while (depth[parent] >= 2);
                depth[k] = depth[parent] + 1;
                nodes[k] = new Child(ids[at + k], 0.3 + 0.5 * rng.nextDouble(), 0.5 + rng.nextDouble(), 0.3,
                        new ArrayList<>(), false);
                nodes[parent].children.add(nodes[k]);
                addEdge(nodes[parent].feature, nodes[k].feature, Structure.HIERARCHY);
            }
            for (int k = 0; k < size; k++) {
                component[ids[at + k]] = ids[at];
            }
            sources.add(s);
            return at + size;
        }

        private int module(int at, int size) {
            Source s = new Source(rate());
            for (int k = 0; k < size; k++) {
                s.children.add(new Child(ids[at + k], 0.5 + 0.4 * rng.nextDouble(), 0.5 + rng.nextDouble(), 0.3,
                        new ArrayList<>(), false));
                component[ids[at + k]] = ids[at];
                for (int l = 0; l < k; l++) {
                    addEdge(ids[at + l], ids[at + k], Structure.MODULE);
                }
            }
            sources.add(s);
            return at + size;
        }

        /** Two features of one cause, each firing on 85-100% of its tokens at its value times exp(0.1 N(0,1)). */
        private int duplicatePair(int at) {
            Source s = new Source(rate());
            for (int k = 0; k < 2; k++) {
                s.children.add(new Child(ids[at + k], 0.85 + 0.15 * rng.nextDouble(), 1.0, 0.1, new ArrayList<>(),
                        false));
                component[ids[at + k]] = ids[at];
            }
            addEdge(ids[at], ids[at + 1], Structure.DUPLICATE);
            sources.add(s);
            return at + 2;
        }

        private void addEdge(int a, int b, Structure kind) {
            edges.add(new long[] {Math.min(a, b), Math.max(a, b), kind.ordinal()});
        }

        /** Planted edges sorted by key, as (key << 2 | kind). */
        private long[] sortedEdges() {
            return edges.stream().mapToLong(e -> (e[0] * p + e[1]) << 2 | e[2]).sorted().toArray();
        }

        private int[] truth(int side) {
            return Arrays.stream(sortedEdges()).map(k -> k >>> 2)
                    .mapToInt(k -> (int) (side == 0 ? k / p : k % p)).toArray();
        }

        private Structure[] kinds() {
            return Arrays.stream(sortedEdges()).mapToObj(k -> Structure.values()[(int) (k & 3)])
                    .toArray(Structure[]::new);
        }

        private double rate() {
            return spec.rateMin() * Math.exp(rng.nextDouble() * Math.log(spec.rateMax() / spec.rateMin()));
        }

        /** Fires the source on geometric gaps and propagates down its children. */
        private void fire(Source s) {
            double logKeep = Math.log1p(-s.rate);
            long t = -1;
            while (true) {
                t += 1 + (long) Math.floor(Math.log(1 - rng.nextDouble()) / logKeep);
                if (t >= spec.tokens()) {
                    return;
                }
                double value = Math.exp(spec.magnitudeSigma() * rng.nextGaussian());
                for (Child c : s.children) {
                    propagate(c, (int) t, value);
                }
            }
        }

        private void propagate(Child c, int token, double parentValue) {
            if (!c.always && rng.nextDouble() >= c.pi) {
                return;
            }
            double value = c.always ? parentValue : parentValue * c.gain * Math.exp(c.noise * rng.nextGaussian());
            entries.add(token, c.feature, (float) value);
            for (Child grand : c.children) {
                propagate(grand, token, value);
            }
        }

        private static int[] shuffled(int p, SplittableRandom rng) {
            int[] a = new int[p];
            for (int i = 0; i < p; i++) {
                a[i] = i;
            }
            for (int i = p - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = a[i];
                a[i] = a[j];
                a[j] = tmp;
            }
            return a;
        }
    }

    /** A cause firing independently per token; its first child of an independent feature or root is "always". */
    private record Source(double rate, List<Child> children) {
        Source(double rate) {
            this(rate, new ArrayList<>());
        }
    }

    private record Child(int feature, double pi, double gain, double noise, List<Child> children, boolean always) { }

    /** Growable (token, feature, value) triples turned into CSR with features sorted within each token. */
    private static final class Entries {
        final int tokens;
        int[] tok = new int[1024];
        int[] feat = new int[1024];
        float[] val = new float[1024];
        int size;

        Entries(int tokens) {
            this.tokens = tokens;
        }

        void add(int t, int f, float v) {
            if (size == tok.length) {
                tok = Arrays.copyOf(tok, size * 2);
                feat = Arrays.copyOf(feat, size * 2);
                val = Arrays.copyOf(val, size * 2);
            }
            tok[size] = t;
            feat[size] = f;
            val[size] = v;
            size++;
        }

        SparseActivations toMatrix(int p) {
            int[] rowPtr = new int[tokens + 1];
            for (int k = 0; k < size; k++) {
                rowPtr[tok[k] + 1]++;
            }
            for (int t = 0; t < tokens; t++) {
                rowPtr[t + 1] += rowPtr[t];
            }
            int[] next = Arrays.copyOf(rowPtr, tokens);
            long[] packed = new long[size];
            float[] byIndex = Arrays.copyOf(val, size);
            for (int k = 0; k < size; k++) {
                packed[next[tok[k]]++] = (long) feat[k] << 32 | k;
            }
            int[] features = new int[size];
            float[] values = new float[size];
            for (int t = 0; t < tokens; t++) {
                Arrays.sort(packed, rowPtr[t], rowPtr[t + 1]);
                for (int a = rowPtr[t]; a < rowPtr[t + 1]; a++) {
                    features[a] = (int) (packed[a] >>> 32);
                    values[a] = byIndex[(int) packed[a]];
                }
            }
            return new SparseActivations(tokens, p, rowPtr, features, values);
        }
    }
}
