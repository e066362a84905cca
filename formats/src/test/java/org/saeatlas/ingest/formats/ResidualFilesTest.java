package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/** Residual activations written as numpy and safetensors do, read back in batches. */
class ResidualFilesTest {
    @TempDir
    Path dir;

    // 5 tokens x d_in = 3; values exact in float16 and bfloat16
    static final float[] X = {1, -2, 0.5f, 0, 3, -1.25f, 4, 0.25f, -8, 2, 2, 2, -0.5f, 1, 16};

    static List<float[]> all(ResidualFiles r) {
        List<float[]> out = new ArrayList<>();
        r.forEach(out::add);
        return out;
    }

    static float[] concat(List<float[]> batches) {
        float[] out = new float[0];
        for (float[] b : batches) {
            int at = out.length;
            out = Arrays.copyOf(out, at + b.length);
            System.arraycopy(b, 0, out, at, b.length);
        }
        return out;
    }

    @Test
    void readsNpyInBatchesEveryIterationFromTheStart() {
        for (DType t : new DType[] {DType.F32, DType.F16, DType.F64}) {
            Path f = dir.resolve("residuals-" + t + ".npy");
            NpyWriter.write(f, Tensor.ofFloats("x", t, new long[] {5, 3}, X));
            ResidualFiles r = ResidualFiles.open(f, null, 3, 2);
            assertEquals(5, r.tokens());
            List<float[]> batches = all(r);
            assertEquals(List.of(6, 6, 3), batches.stream().map(b -> b.length).toList());
            assertArrayEquals(X, concat(batches), t.toString());
            assertArrayEquals(X, concat(all(r)), "second pass");
        }
    }

    @Test
    void readsANamedSafetensorsTensorAndFlattensBatchBySequence() {
        Path f = dir.resolve("acts.safetensors");
        float[] padded = Arrays.copyOf(X, 18);
        Safetensors.write(f, Map.of(), List.of(
                Tensor.ofLongs("tokens", DType.I64, new long[] {2, 3}, new long[] {1, 2, 3, 4, 5, 6}),
                Tensor.ofFloats("resid", DType.BF16, new long[] {2, 3, 3}, padded)));
        ResidualFiles r = ResidualFiles.open(f, "resid", 3, 4);
        assertEquals(6, r.tokens());
        assertArrayEquals(padded, concat(all(r)));
        assertFails(() -> ResidualFiles.open(f, null, 3, 4), "acts.safetensors", "2 tensors [tokens, resid]");
        assertFails(() -> ResidualFiles.open(f, "tokens", 3, 4), "tensor 'tokens' dtype", "I64");
    }

    @Test
    void wrongWidthNonFiniteValuesAndTruncationNameTheFile() throws IOException {
        Path wide = dir.resolve("residuals.npy");
        NpyWriter.write(wide, Tensor.ofFloats("x", DType.F32, new long[] {2, 768}, new float[2 * 768]));
        assertFails(() -> ResidualFiles.open(wide, null, 2304, 8), "residuals.npy has 768 columns",
                "but the SAE's d_in is 2304");

        float[] bad = X.clone();
        bad[7] = Float.NaN; // token 2, column 1
        Path nan = dir.resolve("nan.npy");
        NpyWriter.write(nan, Tensor.ofFloats("x", DType.F32, new long[] {5, 3}, bad));
        ResidualFiles r = ResidualFiles.open(nan, null, 3, 2);
        assertFails(() -> all(r), "nan.npy", "token 2, column 1", "expected a finite number, found NaN");

        Path cut = dir.resolve("cut.npy");
        byte[] whole = NpyWriter.toBytes(Tensor.ofFloats("x", DType.F32, new long[] {5, 3}, X));
        Files.write(cut, Arrays.copyOf(whole, whole.length - 4));
        assertFails(() -> ResidualFiles.open(cut, null, 3, 2), "cut.npy", "the file is truncated");

        Path vector = dir.resolve("vector.npy");
        NpyWriter.write(vector, Tensor.ofFloats("x", DType.F32, new long[] {3}, new float[3]));
        assertFails(() -> ResidualFiles.open(vector, null, 3, 2), "vector.npy", "[tokens, d_in]");
        assertFails(() -> ResidualFiles.open(dir.resolve("missing.npy"), null, 3, 2), "missing.npy", "no such file");
    }

    @Test
    void encodingFromTheFileEqualsEncodingTheArray() throws IOException {
        Path sae = SaeLensFolderTest.folder(dir.resolve("sae"), "{\"architecture\":\"standard\",\"d_in\":2,"
                + "\"d_sae\":3,\"apply_b_dec_to_input\":true}", DType.F32, false);
        SaeWeights w = SaeLensFolder.read(sae);
        float[] x = {1, 2, 3, 4, -1, 0.5f, 2, -2, 0, 0};
        Path f = dir.resolve("r.npy");
        NpyWriter.write(f, Tensor.ofFloats("x", DType.F32, new long[] {5, 2}, x));
        SaeEncoder enc = new SaeEncoder(w, new EncodeParameters(2, 2, 2));
        EncodeResult fromFile = enc.encode(ResidualFiles.open(f, null, 2, 2), 5, Progress.NONE);
        EncodeResult inMemory = enc.encode(x, Progress.NONE);
        assertArrayEquals(inMemory.activations().rowPtr(), fromFile.activations().rowPtr());
        assertArrayEquals(inMemory.activations().features(), fromFile.activations().features());
        assertArrayEquals(inMemory.activations().values(), fromFile.activations().values());
        assertEquals(inMemory.statistics().fvu(), fromFile.statistics().fvu(), 0);
    }
}
