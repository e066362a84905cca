package org.saeatlas.ingest;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorNormPair;
import org.saeatlas.compute.darkmatter.ErrorTokenSample;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.formats.TokenizerVocab;

/**
 * Stores an SAE's error statistics ("dark matter") in the atlas and compares SAEs' per-token error norms.
 *
 * <p>What is written, per SAE:
 * <ul>
 *   <li>on the {@code Sae} node: {@code errorLinearR2}, {@code errorNormProbeR2}, {@code nonlinearFvu} (only when
 *       computed and finite) with their provenance {@code errorStats*} (tokens, train/held-out counts, held-out share,
 *       ridge, seed, the held-out FVU, the residuals' source) and the error-norm-by-rank curve;</li>
 *   <li>{@code (:Sae)-[:HAS_ERROR_TOKEN]->(:ErrorToken)}: the sampled tokens (the worst by error norm and a uniform
 *       sample), each with its rank, norm, context (token texts, when token ids and a vocabulary were given) and
 *       the SAE's top features at that token;</li>
 *   <li>{@code (:Sae)-[:HAS_ERROR_NORMS]->(:ErrorNorms)}: every token's error norm (8 bytes a token), the raw
 *       material of {@code COMPARES_ERRORS}: {@code (a)-[:COMPARES_ERRORS]->(b)} holds how well a's per-token error
 *       norms predict b's ({@link ErrorNormPair}).</li>
 * </ul>
 * Loading again replaces all of it for that SAE.
 */
public final class ErrorProfiles {
    private static final int BATCH = 500;

    private ErrorProfiles() {
    }

    /** A sampled token as stored: {@code context} may be null (no token ids or vocabulary). */
    public record TokenRow(int token, long rank, float norm, String kind, List<String> context, Integer position,
                           int[] features, float[] values) {
    }

    /**
     * The stored rows of a sample: each token's top {@code topFeatures} features by activation from {@code x}, and,
     * when {@code tokenIds} and {@code vocab} are given, its context: up to {@code before} tokens before and
     * {@code after} after it within its sequence of {@code contextLength} tokens.
     */
    public static List<TokenRow> rows(ErrorTokenSample sample, SparseActivations x, int[] tokenIds, int contextLength,
            TokenizerVocab vocab, int before, int after, int topFeatures) {
        List<TokenRow> out = new ArrayList<>(sample.tokens().length);
        for (int i = 0; i < sample.tokens().length; i++) {
            int t = sample.tokens()[i];
            List<String> context = null;
            Integer position = null;
            if (tokenIds != null && vocab != null && contextLength > 0) {
                int seqStart = t - t % contextLength;
                int from = Math.max(seqStart, t - before);
                int to = Math.min(seqStart + contextLength, t + after + 1);
                int[] ids = Arrays.copyOfRange(tokenIds, from, to);
                for (int id : ids) {
                    if (id < 0 || id >= vocab.size()) {
                        throw new AtlasException("error tokens: token id " + id + " near token " + t
                                + " is outside the vocabulary [0, " + vocab.size() + ")");
                    }
                }
                context = vocab.texts(ids);
                position = t - from;
            }
            int lo = x.rowPtr()[t];
            int hi = x.rowPtr()[t + 1];
            Integer[] order = new Integer[hi - lo];
            for (int k = 0; k < order.length; k++) {
                order[k] = lo + k;
            }
            Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : x.values()[b] != x.values()[a]
                    ? Float.compare(x.values()[b], x.values()[a]) : Integer.compare(x.features()[a], x.features()[b]));
            int n = Math.min(topFeatures, order.length);
            int[] f = new int[n];
            float[] v = new float[n];
            for (int k = 0; k < n; k++) {
                f[k] = x.features()[order[k]];
                v[k] = x.values()[order[k]];
            }
            out.add(new TokenRow(t, sample.ranks()[i], sample.norms()[i], i < sample.worst() ? "worst" : "uniform",
                    context, position, f, v));
        }
        return out;
    }

    /**
     * Writes one SAE's statistics, sample and norms (replacing what was stored for it). {@code source} names the
     * residuals (e.g. the file name) so that SAEs built from the same residuals are compared automatically.
     */
    public static void write(CypherExecutor cypher, String sae, DarkMatterResult r, ErrorTokenSample sample,
            List<TokenRow> rows, float[] norms, String source) {
        Map<String, Object> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        put(set, remove, "errorLinearR2", r.errorLinearR2());
        put(set, remove, "errorNormProbeR2", r.errorNormProbeR2());
        put(set, remove, "nonlinearFvu", r.nonlinearFvu());
        put(set, remove, "errorStatsHeldOutFvu", r.heldOutFvu());
        set.put("errorStatsTokens", r.tokens());
        set.put("errorStatsTrainTokens", r.trainTokens());
        set.put("errorStatsHeldOutTokens", r.heldOutTokens());
        set.put("errorStatsHeldOutShare", r.heldOutShare());
        set.put("errorStatsRidge", r.ridge());
        set.put("errorStatsSeed", r.seed());
        set.put("errorStatsSource", source);
        set.put("errorNormCurveRanks", toList(sample.curveRanks()));
        set.put("errorNormCurve", toList(sample.curve()));
        StringBuilder rm = new StringBuilder();
        for (String k : remove) {
            rm.append(" REMOVE s.").append(k);
        }
        long n = count(cypher.write("MATCH (s:Sae {id: $sae}) SET s += $set" + rm + " RETURN count(s) AS n",
                Map.of("sae", sae, "set", set)));
        if (n == 0) {
            throw new AtlasException("error statistics: SAE " + sae + " is not in the database; load it first");
        }
        cypher.write("""
                MATCH (s:Sae {id: $sae})
                OPTIONAL MATCH (s)-[:HAS_ERROR_TOKEN]->(t:ErrorToken)
                DETACH DELETE t""", Map.of("sae", sae));
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (TokenRow t : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
                Map<String, Object> m = new HashMap<>();
                m.put("token", t.token());
                m.put("rank", t.rank());
                m.put("norm", (double) t.norm());
                m.put("kind", t.kind());
                m.put("context", t.context());
                m.put("position", t.position());
                m.put("features", toList(t.features()));
                m.put("values", toList(t.values()));
                batch.add(m);
            }
            cypher.write("""
                    MATCH (s:Sae {id: $sae})
                    UNWIND $rows AS row
                    CREATE (s)-[:HAS_ERROR_TOKEN]->(t:ErrorToken {sae: $sae})
                    SET t += row""", Map.of("sae", sae, "rows", batch));
        }
        cypher.write("""
                MATCH (s:Sae {id: $sae})
                MERGE (n:ErrorNorms {sae: $sae})
                SET n.tokens = $tokens, n.source = $source, n.norms = $norms
                MERGE (s)-[:HAS_ERROR_NORMS]->(n)""", Map.of("sae", sae, "tokens", (long) norms.length,
                "source", source, "norms", toList(norms)));
        cypher.write("MATCH (s:Sae {id: $sae})-[c:COMPARES_ERRORS]-() DELETE c", Map.of("sae", sae));
    }

    /** The stored per-token error norms of {@code sae}, or null when none are stored. */
    public static float[] norms(CypherExecutor cypher, String sae) {
        List<Map<String, Object>> rows = cypher.read("MATCH (n:ErrorNorms {sae: $sae}) RETURN n.norms AS norms",
                Map.of("sae", sae));
        if (rows.isEmpty() || rows.get(0).get("norms") == null) {
            return null;
        }
        List<?> list = (List<?>) rows.get(0).get("norms");
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    /**
     * Compares the stored per-token error norms of SAEs {@code a} and {@code b} (both directions) and stores the
     * result as {@code COMPARES_ERRORS} relationships; returns a's norms predicting b's.
     */
    public static ErrorNormPair compare(CypherExecutor cypher, String a, String b) {
        if (a.equals(b)) {
            throw new AtlasException("compare-errors: give two different SAEs, found " + a + " twice");
        }
        float[] na = norms(cypher, a);
        float[] nb = norms(cypher, b);
        for (Object[] s : new Object[][] {{a, na}, {b, nb}}) {
            if (s[1] == null) {
                throw new AtlasException("compare-errors: SAE " + s[0] + " has no stored per-token error norms; build"
                        + " it with --residuals first");
            }
        }
        if (na.length != nb.length) {
            throw new AtlasException("compare-errors: SAE " + a + " has error norms for " + na.length + " tokens and "
                    + b + " for " + nb.length + "; they must be the same tokens");
        }
        ErrorNormPair ab = ErrorNormPair.fit(na, nb);
        ErrorNormPair ba = ErrorNormPair.fit(nb, na);
        store(cypher, a, b, ab);
        store(cypher, b, a, ba);
        return ab;
    }

    /**
     * Compares {@code sae} with every other SAE whose stored norms come from the same {@code source} and cover the
     * same number of tokens; prints one line each.
     */
    public static void compareWithSameSource(CypherExecutor cypher, String sae, String source, int tokens,
            PrintStream out) {
        List<Map<String, Object>> others = cypher.read("""
                MATCH (n:ErrorNorms) WHERE n.sae <> $sae AND n.source = $source AND n.tokens = $tokens
                RETURN n.sae AS sae ORDER BY sae""", Map.of("sae", sae, "source", source, "tokens", (long) tokens));
        for (Map<String, Object> o : others) {
            String other = (String) o.get("sae");
            ErrorNormPair p = compare(cypher, other, sae);
            out.printf(Locale.ROOT, "  error norms of %s predict %s's over the same %,d tokens: R2 %.4f (through the"
                    + " origin %.4f)%n", other, sae, p.tokens(), p.r2(), p.originR2());
        }
    }

    private static void store(CypherExecutor cypher, String from, String to, ErrorNormPair p) {
        Map<String, Object> props = new HashMap<>();
        props.put("tokens", p.tokens());
        putFinite(props, "originSlope", p.originSlope());
        putFinite(props, "originR2", p.originR2());
        putFinite(props, "slope", p.slope());
        putFinite(props, "intercept", p.intercept());
        putFinite(props, "r2", p.r2());
        cypher.write("""
                MATCH (a:Sae {id: $a}), (b:Sae {id: $b})
                MERGE (a)-[c:COMPARES_ERRORS]->(b)
                SET c = $props""", Map.of("a", from, "b", to, "props", props));
    }

    private static void put(Map<String, Object> set, List<String> remove, String key, double v) {
        if (Double.isFinite(v)) {
            set.put(key, v);
        } else {
            remove.add(key);
        }
    }

    private static void putFinite(Map<String, Object> m, String key, double v) {
        if (Double.isFinite(v)) {
            m.put(key, v);
        }
    }

    private static long count(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("n")).longValue();
    }

    private static List<Double> toList(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }

    private static List<Long> toList(long[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (long f : v) {
            out.add(f);
        }
        return out;
    }

    private static List<Long> toList(int[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (int f : v) {
            out.add((long) f);
        }
        return out;
    }
}
