package org.saeatlas.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.saeatlas.ingest.formats.DType;
import org.saeatlas.ingest.formats.NpyWriter;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.formats.Safetensors;
import org.saeatlas.ingest.formats.Tensor;

/**
 * Writes the inputs of a whole {@code ./atlas build --residuals} of an SAE of a real shape, to measure what the error
 * statistics cost within a build: a SAELens folder of a random JumpReLU SAE ({@code dSae x dIn}, unit-variance
 * pre-activations on the generated residuals, threshold {@code threshold}: 2.65 leaves about 0.4% of features active,
 * ~66 per token at 16,384) and {@code tokens x dIn} Gaussian residuals as {@code resid.npy}. Usage: {@code
 * ResidualBuildFiles OUT_DIR [tokens=20000] [dIn=2304] [dSae=16384] [threshold=2.65]}; then e.g.
 * {@code ./atlas build --sae bench-16k --layer 12 --saelens OUT_DIR/sae --residuals OUT_DIR/resid.npy --data DIR}
 * with and without {@code --no-error-stats}.
 */
public final class ResidualBuildFiles {
    private ResidualBuildFiles() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ResidualBuildFiles OUT_DIR [tokens] [dIn] [dSae] [threshold]");
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        int tokens = EncodeBenchmark.arg(args, 1, 20_000);
        int dIn = EncodeBenchmark.arg(args, 2, 2304);
        int dSae = EncodeBenchmark.arg(args, 3, 16384);
        float threshold = args.length > 4 ? Float.parseFloat(args[4]) : 2.65f;
        Random rnd = new Random(12);
        float scale = (float) (1 / Math.sqrt(dIn));
        Path sae = Files.createDirectories(out.resolve("sae"));
        Files.writeString(sae.resolve(SaeLensFolder.CONFIG), String.format(Locale.ROOT, "{\"architecture\":\"jumprelu\","
                + "\"d_in\":%d,\"d_sae\":%d,\"dtype\":\"float32\",\"apply_b_dec_to_input\":false,\"metadata\":"
                + "{\"model_name\":\"bench-model\",\"hook_name\":\"blocks.12.hook_resid_post\"}}", dIn, dSae));
        float[] th = new float[dSae];
        java.util.Arrays.fill(th, threshold);
        Safetensors.write(sae.resolve(SaeLensFolder.WEIGHTS), Map.of(), List.of(
                Tensor.ofFloats("W_enc", DType.F32, new long[] {dIn, dSae},
                        EncodeBenchmark.gaussian(rnd, dIn * dSae, scale)),
                Tensor.ofFloats("W_dec", DType.F32, new long[] {dSae, dIn},
                        EncodeBenchmark.gaussian(rnd, dSae * dIn, scale)),
                Tensor.ofFloats("b_enc", DType.F32, new long[] {dSae}, new float[dSae]),
                Tensor.ofFloats("b_dec", DType.F32, new long[] {dIn}, new float[dIn]),
                Tensor.ofFloats("threshold", DType.F32, new long[] {dSae}, th)));
        NpyWriter.write(out.resolve("resid.npy"), Tensor.ofFloats("x", DType.F32, new long[] {tokens, dIn},
                EncodeBenchmark.gaussian(rnd, tokens * dIn, 1)));
        System.out.printf(Locale.ROOT, "wrote %s (JumpReLU %d x %d, threshold %.2f) and %s (%,d x %d float32)%n", sae,
                dSae, dIn, threshold, out.resolve("resid.npy"), tokens, dIn);
    }
}
