package org.saeatlas.compute.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.saeatlas.compute.SparseActivations;

/**
 * Generates the demo atlas: SAE-like activations with planted structure, deterministic from a seed.
 *
 * <p>A "world" of concepts fires over a token stream. Most concepts are independent (Bernoulli firing at a
 * log-uniform rate, 0.05%-0.6% of tokens). Planted among them: co-firing modules (a latent topic fires and each
 * member joins with probability 0.85), hierarchies (a child fires only on tokens where its parent fires, at most one
 * child per token: absorption-like), and near-duplicate pairs (the same events, independently dropped). Magnitudes
 * are log-normal around a per-feature scale. SAE A sees every concept; SAE B (another seed) learns a shared fraction
 * of them under a random permutation with small magnitude noise, and its own features instead of the rest. Decoder
 * rows are unit vectors with higher cosine between planted relatives and between a concept's rows in A and B.
 */
public final class DemoAtlasGenerator {

    private static final String[][] THEMES = {
        {"legal", "court", "judge", "appeal", "verdict", "statute", "plaintiff", "testimony", "jury"},
        {"code", "function", "variable", "return", "compiler", "pointer", "loop", "syntax", "debug"},
        {"cooking", "flour", "simmer", "oven", "recipe", "garlic", "butter", "knead", "roast"},
        {"sports", "goal", "referee", "league", "striker", "tournament", "coach", "penalty", "stadium"},
        {"music", "chord", "melody", "rhythm", "guitar", "tempo", "chorus", "violin", "harmony"},
        {"biology", "protein", "enzyme", "cell", "membrane", "gene", "neuron", "mitochondria", "tissue"},
        {"finance", "dividend", "equity", "bond", "inflation", "mortgage", "revenue", "audit", "ledger"},
        {"weather", "rain", "forecast", "humidity", "storm", "drizzle", "thunder", "breeze", "frost"},
        {"travel", "passport", "airport", "luggage", "itinerary", "hotel", "visa", "ferry", "border"},
        {"medicine", "diagnosis", "dosage", "symptom", "vaccine", "surgery", "patient", "clinic", "therapy"},
        {"astronomy", "galaxy", "orbit", "comet", "telescope", "nebula", "planet", "eclipse", "asteroid"},
        {"politics", "election", "senate", "ballot", "policy", "campaign", "minister", "parliament", "veto"},
    };

    private static final String[][] CATEGORIES = {
        {"animals", "dog", "cat", "horse"}, {"colours", "red", "blue", "green"},
        {"numbers", "seven", "twelve", "forty"}, {"cities", "Paris", "Tokyo", "Cairo"},
        {"family members", "mother", "uncle", "cousin"}, {"months", "March", "July", "October"},
        {"metals", "iron", "copper", "silver"}, {"emotions", "anger", "joy", "fear"},
        {"vehicles", "truck", "bicycle", "train"}, {"fruits", "apple", "mango", "cherry"},
        {"languages", "French", "Hindi", "Swahili"}, {"body parts", "elbow", "knee", "shoulder"},
    };

    private static final String[] FILLER = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as",
        "with", "was", "on", "at", "by", "this", "from", "or", "which", "be", "an", "not", "are", ",", "."};

    private static final String[] INDEPENDENT_TEMPLATES = {
        "the token \"%s\"", "the word \"%s\" in running text", "\"%s\" at the start of a word",
        "mentions of %s", "%s inside quoted speech", "the subword \"%s\" in longer words",
    };

    private static final int EXAMPLES_PER_FEATURE = 4;

    private DemoAtlasGenerator() {
    }

    /** Concept roles: what kind of planted structure each world concept belongs to. */
    private record World(int[] scale100, String[] keyword, String[] explanation, float[][] direction,
                         List<int[]> modules, List<int[]> hierarchies, List<int[]> duplicates) { }

    public static DemoAtlas generate(DemoParameters params) {
        return generate(params, null);
    }

    /**
     * As {@link #generate(DemoParameters)}, for a layer above {@code upstream} (the SAE A of the layer below, over the
     * same tokens), or the first layer when it is null: one in {@value #COMPUTED_SHARE_DENOMINATOR} of the
     * independent concepts is instead computed from the layer below, as a weighted OR of two of its features that
     * fire on at least 40 tokens ({@code c = w1 u1 + w2 u2}, weights in [0.5, 1.5]), on every token where either
     * fires; its explanation names both. They are listed in {@link DemoAtlas.Truth#computed()}.
     */
    public static DemoAtlas generate(DemoParameters params, DemoAtlas.Sae upstream) {
        int p = params.features();
        Random rng = new Random(params.seed());
        int[] order = permutation(p, rng);
        World world = world(params, order, rng);
        Events eventsA = fire(params, world, rng);
        List<DemoAtlas.Computed> computed = List.of();
        if (upstream != null) {
            if (upstream.activations().tokens() != params.tokens()) {
                throw new org.saeatlas.errors.AtlasException("demo: the layer below has "
                        + upstream.activations().tokens() + " tokens, this layer " + params.tokens());
            }
            computed = plantComputed(params, world, order, upstream, new Random(params.seed() * 17 + 3));
            eventsA = withComputed(eventsA, computed, upstream.activations(), p);
        }
        SparseActivations actA = eventsA.toCsr(params.tokens(), p);

        // SAE B: another seed. A random share of concepts is learned again, under a permutation.
        Random rngB = new Random(params.seed() * 31 + 7);
        int[] bOfA = new int[p];
        int[] perm = permutation(p, rngB);
        boolean[] usedB = new boolean[p];
        for (int c = 0; c < p; c++) {
            bOfA[c] = rngB.nextDouble() < params.sharedFraction() ? perm[c] : -1;
            if (bOfA[c] >= 0) {
                usedB[bOfA[c]] = true;
            }
        }
        Events eventsB = new Events();
        for (int e = 0; e < eventsA.size; e++) {
            int b = bOfA[eventsA.f[e]];
            if (b >= 0 && rngB.nextDouble() >= 0.03) {
                eventsB.add(eventsA.t[e], b, (float) (eventsA.v[e] * Math.exp(0.1 * rngB.nextGaussian())));
            }
        }
        String[] keywordB = new String[p];
        String[] explanationB = new String[p];
        float[][] directionB = new float[p][];
        int own = 0;
        for (int c = 0; c < p; c++) {
            int b = bOfA[c];
            if (b >= 0) {
                keywordB[b] = world.keyword()[c];
                explanationB[b] = world.explanation()[c];
                directionB[b] = perturb(world.direction()[c], 0.15, rngB);
            }
        }
        for (int b = 0; b < p; b++) {
            if (usedB[b]) {
                continue;
            }
            keywordB[b] = pseudoWord(p + own++);
            explanationB[b] = String.format(INDEPENDENT_TEMPLATES[b % INDEPENDENT_TEMPLATES.length], keywordB[b]);
            directionB[b] = randomUnit(params.dIn(), rngB);
            double rate = logUniform(rngB, 0.0005, 0.006) * params.rateScale();
            double scale = logUniform(rngB, 1, 10);
            int feature = b;
            bernoulli(rngB, params.tokens(), rate, t -> eventsB.add(t, feature, magnitude(rngB, scale, 0.5)));
        }
        SparseActivations actB = eventsB.toCsr(params.tokens(), p);

        String model = "demo-lm";
        List<DemoAtlas.Sae> saes = List.of(
                sae("demo-lm-6-res-" + p + "-s0", model, 0, params, actA, world.direction(), world.keyword(),
                        world.explanation()),
                sae("demo-lm-6-res-" + p + "-s1", model, 1, params, actB, directionB, keywordB, explanationB));
        DemoAtlas.Truth truth = new DemoAtlas.Truth(world.modules(), world.hierarchies(), world.duplicates(), bOfA,
                computed);
        return new DemoAtlas(params, model, saes, truth);
    }

    private static World world(DemoParameters params, int[] order, Random rng) {
        int p = params.features();
        int dIn = params.dIn();
        String[] keyword = new String[p];
        String[] explanation = new String[p];
        float[][] direction = new float[p][];
        int[] scale = new int[p];
        List<int[]> modules = new ArrayList<>();
        List<int[]> hierarchies = new ArrayList<>();
        List<int[]> duplicates = new ArrayList<>();
        int next = 0;
        for (int m = 0; m < params.modules(); m++) {
            int size = 3 + rng.nextInt(4);
            int[] members = Arrays.copyOfRange(order, next, next + size);
            next += size;
            modules.add(members);
            String[] theme = THEMES[m % THEMES.length];
            float[] shared = randomUnit(dIn, rng);
            int offset = (m / THEMES.length) * 3;
            for (int k = 0; k < size; k++) {
                int c = members[k];
                keyword[c] = theme[1 + (offset + k) % (theme.length - 1)];
                explanation[c] = "\"" + keyword[c] + "\" in " + theme[0] + " text";
                direction[c] = mix(shared, 0.6, randomUnit(dIn, rng), 0.8);
            }
        }
        for (int h = 0; h < params.hierarchies(); h++) {
            int children = 2 + rng.nextInt(2);
            int[] family = Arrays.copyOfRange(order, next, next + 1 + children);
            next += 1 + children;
            hierarchies.add(family);
            String[] cat = CATEGORIES[h % CATEGORIES.length];
            int parent = family[0];
            keyword[parent] = cat[0];
            explanation[parent] = "any mention of " + cat[0];
            direction[parent] = randomUnit(dIn, rng);
            for (int k = 1; k < family.length; k++) {
                int c = family[k];
                keyword[c] = cat[k];
                explanation[c] = cat[0] + ": specifically \"" + cat[k] + "\"";
                direction[c] = mix(direction[parent], 0.75, randomUnit(dIn, rng), 0.66);
            }
        }
        for (int d = 0; d < params.duplicates(); d++) {
            int a = order[next++];
            int b = order[next++];
            duplicates.add(new int[] {a, b});
            keyword[a] = pseudoWord(a);
            keyword[b] = keyword[a];
            explanation[a] = "the word \"" + keyword[a] + "\"";
            explanation[b] = "the token \"" + keyword[a] + "\", nearly always as a whole word";
            direction[a] = randomUnit(dIn, rng);
            direction[b] = perturb(direction[a], 0.3, rng);
        }
        for (int k = next; k < p; k++) {
            int c = order[k];
            keyword[c] = pseudoWord(c);
            explanation[c] = String.format(INDEPENDENT_TEMPLATES[c % INDEPENDENT_TEMPLATES.length], keyword[c]);
            direction[c] = randomUnit(dIn, rng);
        }
        for (int c = 0; c < p; c++) {
            scale[c] = (int) Math.round(100 * logUniform(rng, 1, 10));
        }
        return new World(scale, keyword, explanation, direction, modules, hierarchies, duplicates);
    }

    /** One in this many independent concepts of a layer above the first is computed from the layer below. */
    static final int COMPUTED_SHARE_DENOMINATOR = 8;

    /** Picks the computed concepts (independent ones, in the world's order) and their inputs and weights. */
    private static List<DemoAtlas.Computed> plantComputed(DemoParameters params, World world, int[] order,
                                                          DemoAtlas.Sae upstream, Random rng) {
        boolean[] structured = new boolean[params.features()];
        for (List<int[]> groups : List.of(world.modules(), world.hierarchies(), world.duplicates())) {
            for (int[] g : groups) {
                for (int c : g) {
                    structured[c] = true;
                }
            }
        }
        SparseActivations.Columns cols = upstream.activations().columns();
        List<Integer> inputs = new ArrayList<>();
        for (int u = 0; u < upstream.width(); u++) {
            if (cols.count(u) >= 40) {
                inputs.add(u);
            }
        }
        List<DemoAtlas.Computed> out = new ArrayList<>();
        if (inputs.size() < 2) {
            return out;
        }
        int independent = 0;
        for (int c : order) {
            if (structured[c]) {
                continue;
            }
            if (independent++ % COMPUTED_SHARE_DENOMINATOR != 0) {
                continue;
            }
            int u1 = inputs.get(rng.nextInt(inputs.size()));
            int u2 = inputs.get(rng.nextInt(inputs.size()));
            while (u2 == u1) {
                u2 = inputs.get(rng.nextInt(inputs.size()));
            }
            double w1 = Math.round(50 + 100 * rng.nextDouble()) / 100.0;
            double w2 = Math.round(50 + 100 * rng.nextDouble()) / 100.0;
            world.explanation()[c] = "either " + upstream.explanations().get(u1) + ", or "
                    + upstream.explanations().get(u2) + " (computed from the layer below)";
            out.add(new DemoAtlas.Computed(c, new int[] {u1, u2}, new double[] {w1, w2}));
        }
        return out;
    }

    /** The events with each computed concept's own firing replaced by its weighted OR of the layer below. */
    private static Events withComputed(Events ev, List<DemoAtlas.Computed> computed, SparseActivations below,
                                       int features) {
        boolean[] isComputed = new boolean[features];
        for (DemoAtlas.Computed c : computed) {
            isComputed[c.feature()] = true;
        }
        Events out = new Events();
        for (int e = 0; e < ev.size; e++) {
            if (!isComputed[ev.f[e]]) {
                out.add(ev.t[e], ev.f[e], ev.v[e]);
            }
        }
        SparseActivations.Columns cols = below.columns();
        for (DemoAtlas.Computed c : computed) {
            java.util.TreeMap<Integer, Double> value = new java.util.TreeMap<>();
            for (int k = 0; k < c.inputs().length; k++) {
                int u = c.inputs()[k];
                for (int x = cols.colPtr()[u]; x < cols.colPtr()[u + 1]; x++) {
                    value.merge(cols.tokens()[x], c.weights()[k] * cols.values()[x], Double::sum);
                }
            }
            value.forEach((t, v) -> out.add(t, c.feature(), (float) (double) v));
        }
        return out;
    }

    /** Fires the world over the token stream; the order of draws is fixed, so the events are too. */
    private static Events fire(DemoParameters params, World w, Random rng) {
        int n = params.tokens();
        Events ev = new Events();
        boolean[] structured = new boolean[params.features()];
        for (int[] members : w.modules()) {
            double rate = logUniform(rng, 0.002, 0.008) * params.rateScale();
            bernoulli(rng, n, rate, t -> {
                double g = Math.exp(0.4 * rng.nextGaussian());
                for (int c : members) {
                    if (rng.nextDouble() < 0.85) {
                        ev.add(t, c, (float) (g * magnitude(rng, w.scale100()[c] / 100.0, 0.2)));
                    }
                }
            });
            for (int c : members) {
                structured[c] = true;
                bernoulli(rng, n, 0.0003 * params.rateScale(), t -> ev.add(t, c, magnitude(rng, w.scale100()[c] / 100.0, 0.5)));
            }
        }
        for (int[] family : w.hierarchies()) {
            double rate = logUniform(rng, 0.006, 0.02) * params.rateScale();
            bernoulli(rng, n, rate, t -> {
                ev.add(t, family[0], magnitude(rng, w.scale100()[family[0]] / 100.0, 0.4));
                if (rng.nextDouble() < 0.6) {
                    int child = family[1 + rng.nextInt(family.length - 1)];
                    ev.add(t, child, magnitude(rng, w.scale100()[child] / 100.0, 0.3));
                }
            });
            for (int c : family) {
                structured[c] = true;
            }
        }
        for (int[] pair : w.duplicates()) {
            double rate = logUniform(rng, 0.002, 0.01) * params.rateScale();
            bernoulli(rng, n, rate, t -> {
                double g = Math.exp(0.5 * rng.nextGaussian());
                for (int c : pair) {
                    if (rng.nextDouble() < 0.95) {
                        ev.add(t, c, (float) (g * magnitude(rng, w.scale100()[c] / 100.0, 0.1)));
                    }
                }
            });
            structured[pair[0]] = true;
            structured[pair[1]] = true;
        }
        for (int c = 0; c < params.features(); c++) {
            if (structured[c]) {
                continue;
            }
            double rate = logUniform(rng, 0.0005, 0.006) * params.rateScale();
            int feature = c;
            bernoulli(rng, n, rate, t -> ev.add(t, feature, magnitude(rng, w.scale100()[feature] / 100.0, 0.5)));
        }
        return ev;
    }

    private static DemoAtlas.Sae sae(String id, String model, int seed, DemoParameters params,
                                     SparseActivations act, float[][] direction, String[] keyword,
                                     String[] explanation) {
        int p = act.featureCount();
        int dIn = params.dIn();
        float[] decoder = new float[p * dIn];
        for (int f = 0; f < p; f++) {
            System.arraycopy(direction[f], 0, decoder, f * dIn, dIn);
        }
        return new DemoAtlas.Sae(id, model, 6, "blocks.6.hook_resid_post", seed, dIn, act, decoder,
                List.of(explanation), examples(act, keyword));
    }

    /** Each feature's top activations as windows of 11 tokens (7 before, 3 after), strongest first. */
    private static List<DemoAtlas.Example> examples(SparseActivations act, String[] keyword) {
        SparseActivations.Columns cols = act.columns();
        List<DemoAtlas.Example> out = new ArrayList<>();
        for (int f = 0; f < act.featureCount(); f++) {
            int from = cols.colPtr()[f];
            int to = cols.colPtr()[f + 1];
            Integer[] idx = new Integer[to - from];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = from + k;
            }
            Arrays.sort(idx, (a, b) -> cols.values()[a] != cols.values()[b]
                    ? Float.compare(cols.values()[b], cols.values()[a]) : Integer.compare(a, b));
            for (int r = 0; r < Math.min(EXAMPLES_PER_FEATURE, idx.length); r++) {
                int centre = cols.tokens()[idx[r]];
                int lo = Math.max(0, centre - 7);
                int hi = Math.min(act.tokens() - 1, centre + 3);
                List<String> tokens = new ArrayList<>();
                float[] values = new float[hi - lo + 1];
                for (int t = lo; t <= hi; t++) {
                    float v = valueAt(act, t, f);
                    values[t - lo] = v;
                    // tokens carry their leading space, as GPT-style tokenizers write them
                    String word = v > 0 ? keyword[f] : FILLER[Math.floorMod(t * 2654435761L, FILLER.length)];
                    tokens.add(word.equals(",") || word.equals(".") ? word : " " + word);
                }
                out.add(new DemoAtlas.Example(f, r, tokens, values));
            }
        }
        return out;
    }

    private static float valueAt(SparseActivations act, int token, int feature) {
        int k = Arrays.binarySearch(act.features(), act.rowPtr()[token], act.rowPtr()[token + 1], feature);
        return k >= 0 ? act.values()[k] : 0f;
    }

    /** A pronounceable pseudo-word, unique per index below 75^3. */
    public static String pseudoWord(int index) {
        String cons = "bdfgklmnprstvzh";
        String vow = "aeiou";
        int syllables = cons.length() * vow.length();
        int scrambled = (int) ((index * 40503L + 1_234L) % (syllables * syllables * syllables));
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            int syl = scrambled % syllables;
            scrambled /= syllables;
            sb.append(cons.charAt(syl / vow.length())).append(vow.charAt(syl % vow.length()));
        }
        return sb.toString();
    }

    private static int[] permutation(int n, Random rng) {
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

    private static double logUniform(Random rng, double lo, double hi) {
        return Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    private static float magnitude(Random rng, double scale, double sigma) {
        return (float) (scale * Math.exp(sigma * rng.nextGaussian()));
    }

    /** Calls {@code at} for each token that fires under Bernoulli(rate), by geometric skips (cost: the firings). */
    private static void bernoulli(Random rng, int n, double rate, java.util.function.IntConsumer at) {
        double logq = Math.log1p(-rate);
        long t = -1;
        while (true) {
            t += 1 + (long) Math.floor(Math.log1p(-rng.nextDouble()) / logq);
            if (t >= n) {
                return;
            }
            at.accept((int) t);
        }
    }

    private static float[] randomUnit(int d, Random rng) {
        double[] v = new double[d];
        for (int k = 0; k < d; k++) {
            v[k] = rng.nextGaussian();
        }
        return normalise(v);
    }

    private static float[] mix(float[] a, double wa, float[] b, double wb) {
        double[] v = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            v[k] = wa * a[k] + wb * b[k];
        }
        return normalise(v);
    }

    private static float[] perturb(float[] a, double noise, Random rng) {
        return mix(a, 1.0, randomUnit(a.length, rng), noise);
    }

    private static float[] normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = (float) (v[k] / norm);
        }
        return out;
    }

    /** (token, feature, value) triples; a feature firing twice on one token keeps the larger value. */
    private static final class Events {
        int[] t = new int[1 << 16];
        int[] f = new int[1 << 16];
        float[] v = new float[1 << 16];
        int size;

        void add(int token, int feature, float value) {
            if (size == t.length) {
                t = Arrays.copyOf(t, size * 2);
                f = Arrays.copyOf(f, size * 2);
                v = Arrays.copyOf(v, size * 2);
            }
            t[size] = token;
            f[size] = feature;
            v[size] = value;
            size++;
        }

        /**
         * Sorted by token, then feature (a counting sort by token, then each token's few events by feature), in
         * O(events) memory beyond the events: no (token, feature) key that overflows a long at a million tokens.
         */
        SparseActivations toCsr(int tokens, int features) {
            int[] start = new int[tokens + 1];
            for (int e = 0; e < size; e++) {
                start[t[e] + 1]++;
            }
            for (int r = 0; r < tokens; r++) {
                start[r + 1] += start[r];
            }
            int[] order = new int[size];
            int[] fill = Arrays.copyOf(start, tokens);
            for (int e = 0; e < size; e++) {
                order[fill[t[e]]++] = e;
            }
            fill = null;
            int[] ptr = new int[tokens + 1];
            int[] feat = new int[size];
            float[] val = new float[size];
            long[] row = new long[16];
            int nnz = 0;
            for (int r = 0; r < tokens; r++) {
                int len = start[r + 1] - start[r];
                if (row.length < len) {
                    row = new long[Math.max(len, row.length * 2)];
                }
                for (int k = 0; k < len; k++) {
                    int e = order[start[r] + k];
                    row[k] = (long) f[e] << 32 | e;
                }
                Arrays.sort(row, 0, len);
                int prevFeature = -1;
                for (int k = 0; k < len; k++) {
                    int feature = (int) (row[k] >>> 32);
                    int e = (int) row[k];
                    if (feature == prevFeature) {
                        val[nnz - 1] = Math.max(val[nnz - 1], v[e]);
                        continue;
                    }
                    prevFeature = feature;
                    feat[nnz] = feature;
                    val[nnz] = v[e];
                    nnz++;
                }
                ptr[r + 1] = nnz;
            }
            return new SparseActivations(tokens, features, ptr, Arrays.copyOf(feat, nnz), Arrays.copyOf(val, nnz));
        }
    }
}
