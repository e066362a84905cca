package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * SAE weights as training code saved them, whatever the layout: a SAELens folder ({@code cfg.json} +
 * {@code sae_weights.safetensors}), an EleutherAI sparsify folder ({@code cfg.json} + {@code sae.safetensors},
 * top-k), a {@code .safetensors} file, or a PyTorch {@code .pt}/{@code .pth} state dict (dictionary_learning, plain
 * {@code torch.save(sae.state_dict())}; read by {@link TorchCheckpoint}, nothing executed). Tensor names are mapped:
 * <ul>
 *   <li>{@code W_enc [d_in, d_sae]}, {@code W_dec [d_sae, d_in]}, {@code b_enc}, {@code b_dec} (SAELens, dictionary_learning JumpReLU);</li>
 *   <li>{@code encoder.weight [d_sae, d_in]} (transposed), {@code encoder.bias}; {@code decoder.weight [d_in, d_sae]}
 *   (transposed) or {@code W_dec [d_sae, d_in]} (sparsify); {@code b_dec}, {@code decoder.bias} or {@code bias};</li>
 *   <li>{@code threshold} (a vector, or one number for every feature, as dictionary_learning's BatchTopK saves it):
 *   JumpReLU-style thresholding, the way those SAEs encode at inference; else {@code k} (a tensor or the cfg): top-k;
 *   else ReLU.</li>
 * </ul>
 * Names may sit under a prefix ({@code state_dict.}, {@code sae.}, {@code model.}). A layout it does not know is
 * refused naming the tensors found.
 */
public final class SaeCheckpoints {

    /** The weights, the format they were read as, and facts the file states besides (e.g. k, a config). */
    public record Checkpoint(SaeWeights weights, String format, String architecture, Map<String, Object> facts) { }

    private SaeCheckpoints() {
    }

    /** Reads {@code path}, detecting its format. {@code applyBDecToInput}: null unless the user says. */
    public static Checkpoint read(Path path, Boolean applyBDecToInput) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(SaeLensFolder.WEIGHTS))) {
                SaeWeights w = SaeLensFolder.read(path);
                return new Checkpoint(w, "saelens", w.architecture().name().toLowerCase(Locale.ROOT), Map.of());
            }
            if (Files.isRegularFile(path.resolve("sae.safetensors"))) {
                return sparsify(path, applyBDecToInput);
            }
            throw FormatError.of(path, "SAE folder", "a SAELens folder (cfg.json + " + SaeLensFolder.WEIGHTS
                    + ") or a sparsify folder (cfg.json + sae.safetensors; for a multi-layer sparsify run, the"
                    + " layer's subfolder)", "neither" + listing(path));
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            SafetensorsFile st = Safetensors.read(path);
            return map(path, "safetensors", st.tensors(), Map.of(), null, applyBDecToInput);
        }
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin") || name.endsWith(".ckpt")) {
            TorchCheckpoint.Contents c = TorchCheckpoint.read(path);
            return map(path, "pytorch", c.tensors(), c.values(), null, applyBDecToInput);
        }
        throw FormatError.of(path, "SAE weights", "a SAELens or sparsify folder, a .safetensors file or a PyTorch"
                + " .pt/.pth state dict", "'" + path.getFileName() + "'");
    }

    private static Checkpoint sparsify(Path folder, Boolean applyBDecToInput) {
        Path cfgFile = folder.resolve("cfg.json");
        Map<String, Object> facts = new LinkedHashMap<>();
        Integer k = null;
        if (Files.isRegularFile(cfgFile)) {
            JsonNode cfg = Json.readObject(cfgFile);
            Long kk = Json.integer(cfgFile, cfg, "k");
            k = kk == null ? null : kk.intValue();
            cfg.fields().forEachRemaining(e -> facts.put("cfg." + e.getKey(), e.getValue().isNumber()
                    ? e.getValue().numberValue() : e.getValue().asText()));
        }
        SafetensorsFile st = Safetensors.read(folder.resolve("sae.safetensors"));
        if (k == null) {
            throw FormatError.of(cfgFile, "k", "the number of active latents of the sparsify (top-k) SAE", "none");
        }
        return map(folder.resolve("sae.safetensors"), "sparsify", st.tensors(), facts, k, applyBDecToInput);
    }

    /** Maps tensors by name convention to {@link SaeWeights}. */
    static Checkpoint map(Path file, String format, Map<String, Tensor> found, Map<String, Object> values, Integer cfgK,
                          Boolean applyBDecToInput) {
        Map<String, Tensor> t = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : found.entrySet()) {
            t.put(strip(e.getKey()), e.getValue());
        }
        Tensor wEnc = t.get("W_enc");
        Tensor encW = t.get("encoder.weight");
        Tensor wDec = t.get("W_dec");
        Tensor decW = t.get("decoder.weight");
        if ((wEnc == null && encW == null) || (wDec == null && decW == null)) {
            throw FormatError.of(file, "tensors", "an SAE's encoder and decoder: W_enc [d_in, d_sae] or"
                    + " encoder.weight [d_sae, d_in], and W_dec [d_sae, d_in] or decoder.weight [d_in, d_sae]",
                    describe(found));
        }
        int dSae;
        int dIn;
        float[] enc; // [d_in, d_sae]
        if (wEnc != null) {
            wEnc.requireRank(2, "W_enc [d_in, d_sae]");
            dIn = Math.toIntExact(wEnc.shape()[0]);
            dSae = Math.toIntExact(wEnc.shape()[1]);
            enc = floats(wEnc);
        } else {
            encW.requireRank(2, "encoder.weight [d_sae, d_in]");
            dSae = Math.toIntExact(encW.shape()[0]);
            dIn = Math.toIntExact(encW.shape()[1]);
            enc = transpose(floats(encW), dSae, dIn);
        }
        float[] dec; // [d_sae, d_in]
        if (wDec != null) {
            dec = floats(wDec.requireShape("W_dec [d_sae, d_in] with d_sae, d_in from the encoder", dSae, dIn));
        } else {
            dec = transpose(floats(decW.requireShape("decoder.weight [d_in, d_sae] with d_sae, d_in from the encoder",
                    dIn, dSae)), dIn, dSae);
        }
        Tensor bEncT = first(t, "b_enc", "encoder.bias");
        float[] bEnc = bEncT == null ? new float[dSae] : floats(bEncT.requireShape("b_enc [d_sae]", dSae));
        Tensor bDecT = first(t, "b_dec", "decoder.bias", "bias");
        float[] bDec = bDecT == null ? new float[dIn] : floats(bDecT.requireShape("b_dec [d_in]", dIn));
        Map<String, Object> facts = new LinkedHashMap<>();
        values.forEach((key, v) -> {
            if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
                facts.put(key, v);
            }
        });
        Integer k = cfgK;
        Tensor kT = t.get("k");
        if (kT != null) {
            k = Math.toIntExact(kT.numel() == 1 ? (kT.dtype().isFloating() ? (long) kT.floats()[0] : kT.longs()[0])
                    : -1);
            if (k < 1) {
                throw FormatError.of(file, "tensor 'k'", "one positive integer", kT);
            }
        }
        if (k == null && values.get("cfg.k") instanceof Number n) {
            k = n.intValue();
        }
        if (k != null) {
            facts.put("k", k);
        }
        Tensor thrT = t.get("threshold");
        float[] threshold = null;
        SaeArchitecture arch;
        String label;
        if (thrT != null && thrT.numel() == 1 && floats(thrT)[0] >= 0) {
            // dictionary_learning BatchTopK / MatryoshkaBatchTopK: one learned threshold for every feature at inference
            threshold = new float[dSae];
            java.util.Arrays.fill(threshold, floats(thrT)[0]);
            arch = SaeArchitecture.JUMPRELU;
            label = k != null ? "batchtopk" : "jumprelu";
            facts.put("threshold", (double) floats(thrT)[0]);
        } else if (thrT != null && thrT.numel() == dSae) {
            threshold = floats(thrT);
            arch = SaeArchitecture.JUMPRELU;
            label = "jumprelu";
        } else if (k != null) {
            arch = SaeArchitecture.TOPK;
            label = thrT != null ? "batchtopk" : "topk";
        } else if (thrT != null) {
            throw FormatError.of(file, "tensor 'threshold'", "one number >= 0 or d_sae=" + dSae + " numbers",
                    thrT + " (a negative threshold means training never set it; give k)");
        } else {
            arch = SaeArchitecture.STANDARD;
            label = "standard";
        }
        boolean apply = applyBDecToInput != null ? applyBDecToInput : true;
        SaeWeights w = new SaeWeights(arch, dIn, dSae, enc, dec, bEnc, bDec, threshold,
                arch == SaeArchitecture.TOPK ? k : null, apply, null, null, "float32");
        List<String> used = new ArrayList<>(List.of("W_enc", "encoder.weight", "W_dec", "decoder.weight", "b_enc",
                "encoder.bias", "b_dec", "decoder.bias", "bias", "k", "threshold"));
        List<String> ignored = new ArrayList<>();
        t.forEach((n, x) -> {
            if (!used.contains(n)) {
                ignored.add(n + " " + java.util.Arrays.toString(x.shape()));
            }
        });
        if (!ignored.isEmpty()) {
            facts.put("ignoredTensors", String.join(", ", ignored));
        }
        return new Checkpoint(w, format, label, facts);
    }

    private static String strip(String name) {
        for (String p : List.of("state_dict.", "model_state_dict.", "sae.", "model.", "module.", "ae.")) {
            if (name.startsWith(p)) {
                return strip(name.substring(p.length()));
            }
        }
        return name;
    }

    private static Tensor first(Map<String, Tensor> t, String... names) {
        for (String n : names) {
            if (t.containsKey(n)) {
                return t.get(n);
            }
        }
        return null;
    }

    private static float[] floats(Tensor t) {
        return t.requireDtype(DType.F32, DType.F16, DType.BF16, DType.F64).finiteFloats();
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = a[r * cols + c];
            }
        }
        return out;
    }

    static String describe(Map<String, Tensor> found) {
        if (found.isEmpty()) {
            return "no tensors";
        }
        StringBuilder b = new StringBuilder("tensors ");
        new TreeMap<>(found).forEach((n, x) -> b.append(n).append(' ').append(java.util.Arrays.toString(x.shape()))
                .append(' ').append(x.dtype()).append(", "));
        return b.substring(0, b.length() - 2);
    }

    private static String listing(Path dir) {
        try (var s = Files.list(dir)) {
            return " (files: " + s.map(p -> p.getFileName().toString()).sorted().limit(20).toList() + ")";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
