package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * Reads a SAELens SAE folder: {@code cfg.json} plus {@code sae_weights.safetensors} holding {@code W_enc [d_in,
 * d_sae]}, {@code W_dec [d_sae, d_in]}, {@code b_enc [d_sae]}, {@code b_dec [d_in]} and, for JumpReLU,
 * {@code threshold [d_sae]}; float32, float16 or bfloat16 (widened to float32). Both config layouts are accepted:
 * current ones with {@code metadata: {model_name, hook_name}} and older flat ones with {@code model_name} and
 * {@code hook_name} or {@code hook_point}; top-k is {@code architecture: "topk"} with {@code k}, or the older
 * {@code activation_fn: "topk"} with {@code activation_fn_kwargs: {k}}. Gated SAEs are rejected by name.
 */
public final class SaeLensFolder {
    public static final String CONFIG = "cfg.json";
    public static final String WEIGHTS = "sae_weights.safetensors";

    private SaeLensFolder() {
    }

    public static final String SPARSITY = "sparsity.safetensors";

    /**
     * What a SAELens {@code cfg.json} says about an SAE, without its weights: enough to add it to the atlas.
     * {@code k} only for top-k.
     */
    public record Config(String modelName, String hookName, int dIn, int dSae, SaeArchitecture architecture,
                         Integer k, boolean applyBDecToInput) { }

    /** Whether {@code folder} holds the weights file next to its cfg.json. */
    public static boolean hasWeights(Path folder) {
        return Files.isRegularFile(folder.resolve(WEIGHTS));
    }

    /** The cfg.json of a SAELens folder (weights may be missing). */
    public static Config readConfig(Path folder) {
        Path cfgFile = folder.resolve(CONFIG);
        if (!Files.isRegularFile(cfgFile)) {
            throw FormatError.of(folder, "SAELens folder", "a file " + CONFIG, "no " + CONFIG);
        }
        return config(cfgFile, Json.readObject(cfgFile));
    }

    /**
     * The per-feature firing rates SAELens measured while training, from {@code sparsity.safetensors} (tensor
     * {@code sparsity}: log10 of each feature's firing fraction over the last feature-sampling window of training
     * tokens, plus 1e-10), or null when the folder has no such file. Returned as fractions (10^x - 1e-10, at least 0).
     */
    public static double[] trainingFiringRates(Path folder, int dSae) {
        Path file = folder.resolve(SPARSITY);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        SafetensorsFile st = Safetensors.read(file);
        Tensor t = st.tensor("sparsity").requireDtype(DType.F32, DType.F16, DType.BF16, DType.F64)
                .requireShape("d_sae from " + CONFIG, dSae);
        float[] log = t.floats();
        double[] rates = new double[log.length];
        for (int f = 0; f < log.length; f++) {
            if (!Float.isFinite(log[f]) || log[f] > 1e-6f) {
                throw FormatError.of(file, "sparsity[" + f + "]", "log10 of a firing fraction (a finite number <= 0)",
                        log[f]);
            }
            rates[f] = Math.max(0, Math.pow(10, log[f]) - 1e-10);
        }
        return rates;
    }

    public static SaeWeights read(Path folder) {
        Path cfgFile = folder.resolve(CONFIG);
        Path weightsFile = folder.resolve(WEIGHTS);
        if (!Files.isRegularFile(cfgFile) || !Files.isRegularFile(weightsFile)) {
            throw FormatError.of(folder, "SAELens folder", "files " + CONFIG + " and " + WEIGHTS,
                    (Files.isRegularFile(cfgFile) ? "" : "no " + CONFIG + " ")
                            + (Files.isRegularFile(weightsFile) ? "" : "no " + WEIGHTS
                            + " (without weights: ./atlas add-sae --saelens " + folder + ")"));
        }
        Config c = config(cfgFile, Json.readObject(cfgFile));
        SaeArchitecture arch = c.architecture();
        int dIn = c.dIn();
        int dSae = c.dSae();
        SafetensorsFile st = Safetensors.read(weightsFile);
        Tensor wEnc = floatTensor(st, "W_enc").requireShape("d_in x d_sae from " + CONFIG, dIn, dSae);
        Tensor wDec = floatTensor(st, "W_dec").requireShape("d_sae x d_in from " + CONFIG, dSae, dIn);
        Tensor bEnc = floatTensor(st, "b_enc").requireShape("d_sae from " + CONFIG, dSae);
        Tensor bDec = floatTensor(st, "b_dec").requireShape("d_in from " + CONFIG, dIn);
        float[] threshold = arch == SaeArchitecture.JUMPRELU
                ? floatTensor(st, "threshold").requireShape("d_sae from " + CONFIG, dSae).finiteFloats() : null;
        return new SaeWeights(arch, dIn, dSae, wEnc.finiteFloats(), wDec.finiteFloats(), bEnc.finiteFloats(),
                bDec.finiteFloats(), threshold, c.k(), c.applyBDecToInput(), c.modelName(), c.hookName(),
                torchName(wEnc.dtype()));
    }

    private static Config config(Path cfgFile, JsonNode cfg) {
        JsonNode meta = cfg.path("metadata");
        SaeArchitecture arch = architecture(cfgFile, cfg);
        int dIn = positive(cfgFile, cfg, "d_in");
        int dSae = positive(cfgFile, cfg, "d_sae");
        Integer k = arch == SaeArchitecture.TOPK ? k(cfgFile, cfg, dSae) : null;
        JsonNode applyNode = cfg.get("apply_b_dec_to_input");
        if (applyNode != null && !applyNode.isNull() && !applyNode.isBoolean()) {
            throw FormatError.of(cfgFile, "apply_b_dec_to_input", "true or false", applyNode);
        }
        boolean apply = applyNode == null || applyNode.isNull() || applyNode.asBoolean();
        String model = firstText(cfgFile, meta, cfg, "model_name");
        String hook = firstText(cfgFile, meta, cfg, "hook_name");
        hook = hook != null ? hook : firstText(cfgFile, meta, cfg, "hook_point");

        return new Config(model, hook, dIn, dSae, arch, k, apply);
    }

    private static Tensor floatTensor(SafetensorsFile st, String name) {
        return st.tensor(name).requireDtype(DType.F32, DType.F16, DType.BF16, DType.F64);
    }

    private static SaeArchitecture architecture(Path cfgFile, JsonNode cfg) {
        String arch = Json.text(cfgFile, cfg, "architecture");
        String fn = Json.text(cfgFile, cfg, "activation_fn", "activation_fn_str");
        if (arch == null || arch.equals("standard")) {
            return "topk".equals(fn) ? SaeArchitecture.TOPK : SaeArchitecture.STANDARD;
        }
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "jumprelu" -> SaeArchitecture.JUMPRELU;
            case "topk" -> SaeArchitecture.TOPK;
            default -> throw FormatError.of(cfgFile, "architecture", "\"standard\", \"jumprelu\" or \"topk\"",
                    "\"" + arch + "\"" + (arch.equals("gated") ? " (gated SAEs are not supported yet)" : ""));
        };
    }

    private static Integer k(Path cfgFile, JsonNode cfg, int dSae) {
        Long k = Json.integer(cfgFile, cfg, "k");
        if (k == null) {
            k = Json.integer(cfgFile, cfg.path("activation_fn_kwargs"), "k");
        }
        if (k == null || k < 1 || k > dSae) {
            throw FormatError.of(cfgFile, "k", "an integer in [1, d_sae=" + dSae + "] for a top-k SAE (key 'k' or "
                    + "'activation_fn_kwargs.k')", k == null ? "no such key" : k);
        }
        return k.intValue();
    }

    private static int positive(Path cfgFile, JsonNode cfg, String key) {
        long v = Json.requireInteger(cfgFile, cfg, key);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw FormatError.of(cfgFile, key, "a positive integer", v);
        }
        return (int) v;
    }

    private static String firstText(Path cfgFile, JsonNode meta, JsonNode cfg, String key) {
        String v = meta.isObject() ? Json.text(cfgFile, meta, key) : null;
        return v != null ? v : Json.text(cfgFile, cfg, key);
    }

    private static String torchName(DType t) {
        return switch (t) {
            case F64 -> "float64";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        };
    }
}
