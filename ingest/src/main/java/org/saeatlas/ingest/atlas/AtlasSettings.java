package org.saeatlas.ingest.atlas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.correlation.PreScreen;
import org.saeatlas.compute.correlation.ScreenParameters;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.LassoParameters;
import org.saeatlas.compute.lasso.SampleSize;
import org.saeatlas.compute.resampling.NullMode;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.stability.MergeRule;
import org.saeatlas.compute.stability.NullScreen;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.ThresholdRule;

/**
 * The settings of one SAE's build: the atlas file's {@code defaults}, overridden by the SAE's own {@code settings}.
 * Keys are the {@code build} command's option names without the dashes in front ({@code resamples}, {@code top-k},
 * {@code null-screen}, ...), plus {@code dependence} and {@code communities} (both true by default) and
 * {@code stability-seed} (the master seed, {@code --seed} on the command line).
 */
public final class AtlasSettings {

    /** Every key with the type its value must have. */
    static final Map<String, Class<?>> KEYS;

    static {
        Map<String, Class<?>> k = new LinkedHashMap<>();
        k.put("dependence", Boolean.class);
        k.put("communities", Boolean.class);
        k.put("published", Boolean.class);
        k.put("resamples", Integer.class);
        k.put("resampling", String.class);
        k.put("subsample-fraction", Double.class);
        k.put("null", String.class);
        k.put("null-screen", String.class);
        k.put("prescreen", String.class);
        k.put("bh-q", Double.class);
        k.put("top-k", Integer.class);
        k.put("min-cofire", Integer.class);
        k.put("lambdas", Integer.class);
        k.put("lambda-min-ratio", Double.class);
        k.put("criterion", String.class);
        k.put("cv-folds", Integer.class);
        k.put("ebic-gamma", Double.class);
        k.put("refit", Boolean.class);
        k.put("criterion-n", String.class);
        k.put("merge", String.class);
        k.put("alpha", Double.class);
        k.put("threshold", String.class);
        k.put("twin-features", Integer.class);
        k.put("explain-away", Boolean.class);
        k.put("stability-seed", Long.class);
        k.put("encode-batch", Integer.class);
        k.put("residual-tensor", String.class);
        k.put("examples-per-feature", Integer.class);
        k.put("example-before", Integer.class);
        k.put("example-after", Integer.class);
        KEYS = Collections.unmodifiableMap(k);
    }

    private final Map<String, Object> values;

    AtlasSettings(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    static AtlasSettings none() {
        return new AtlasSettings(Map.of());
    }

    /** These settings with {@code overrides} on top. */
    AtlasSettings with(Map<String, Object> overrides) {
        Map<String, Object> m = new TreeMap<>(values);
        m.putAll(overrides);
        return new AtlasSettings(m);
    }

    /** The settings given (defaults and overrides), sorted by key: part of a task's identity. */
    public Map<String, Object> values() {
        return values;
    }

    public boolean dependence() {
        return (Boolean) values.getOrDefault("dependence", true);
    }

    public boolean communities() {
        return (Boolean) values.getOrDefault("communities", true);
    }

    public int encodeBatch() {
        return (Integer) values.getOrDefault("encode-batch", 256);
    }

    public String residualTensor() {
        return (String) values.get("residual-tensor");
    }

    public int examplesPerFeature() {
        return (Integer) values.getOrDefault("examples-per-feature", 20);
    }

    public int exampleBefore() {
        return (Integer) values.getOrDefault("example-before", 24);
    }

    public int exampleAfter() {
        return (Integer) values.getOrDefault("example-after", 8);
    }

    /** The stable dependence graph's parameters: the calibrated defaults (or published ones) with these settings. */
    public StabilityParameters stability(int threads) {
        StabilityParameters b = Boolean.TRUE.equals(values.get("published")) ? StabilityParameters.published()
                : StabilityParameters.defaults();
        ScreenParameters s = b.screen();
        LassoParameters l = b.lasso();
        return new StabilityParameters(
                (Integer) values.getOrDefault("resamples", b.resamples()),
                values.containsKey("resampling") ? parse(ResamplingMode.class, "resampling") : b.resampling(),
                (Double) values.getOrDefault("subsample-fraction", b.subsampleFraction()),
                values.containsKey("null") ? parse(NullMode.class, "null") : b.nullMode(),
                values.containsKey("null-screen") ? parse(NullScreen.class, "null-screen") : b.nullScreen(),
                new ScreenParameters(values.containsKey("prescreen") ? parse(PreScreen.class, "prescreen") : s.method(),
                        (Double) values.getOrDefault("bh-q", s.q()), (Integer) values.getOrDefault("top-k", s.topK()),
                        (Integer) values.getOrDefault("min-cofire", s.minCoFire())),
                new LassoParameters((Integer) values.getOrDefault("lambdas", l.lambdaCount()),
                        (Double) values.getOrDefault("lambda-min-ratio", l.lambdaMinRatio()),
                        values.containsKey("criterion") ? parse(Criterion.class, "criterion") : l.criterion(),
                        (Double) values.getOrDefault("ebic-gamma", l.ebicGamma()),
                        (Boolean) values.getOrDefault("refit", l.refit()),
                        values.containsKey("criterion-n") ? parse(SampleSize.class, "criterion-n") : l.sampleSize(),
                        (Integer) values.getOrDefault("cv-folds", l.cvFolds())),
                values.containsKey("merge") ? parse(MergeRule.class, "merge") : b.merge(),
                (Double) values.getOrDefault("alpha", b.alpha()),
                (Long) values.getOrDefault("stability-seed", b.seed()), Math.max(1, threads),
                values.containsKey("threshold") ? parse(ThresholdRule.class, "threshold") : b.threshold(),
                (Integer) values.getOrDefault("twin-features", b.twinFeatures()),
                (Boolean) values.getOrDefault("explain-away", b.explainAway()));
    }

    private <E extends Enum<E>> E parse(Class<E> type, String key) {
        String value = (String) values.get(key);
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new AtlasException("expected one of " + allowed + ", found '" + value + "'");
    }

    /** Converts a YAML scalar to the key's type, or says what was expected. */
    static Object coerce(String key, Object value, Class<?> type) {
        if (type == Boolean.class && value instanceof Boolean) {
            return value;
        }
        if (type == String.class && value instanceof String) {
            return value;
        }
        if (type == Integer.class && value instanceof Number n && !(value instanceof Double)
                && n.longValue() == n.intValue()) {
            return n.intValue();
        }
        if (type == Long.class && value instanceof Number n && !(value instanceof Double)) {
            return n.longValue();
        }
        if (type == Double.class && value instanceof Number n) {
            return n.doubleValue();
        }
        String expected = type == Boolean.class ? "true or false" : type == String.class ? "a word"
                : type == Double.class ? "a number" : "a whole number";
        throw new AtlasException("expected " + expected + ", found " + (value == null ? "nothing" : "'" + value + "'"));
    }

    static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }
}
