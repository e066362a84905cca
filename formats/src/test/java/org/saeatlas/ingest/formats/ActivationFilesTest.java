package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;
import static org.saeatlas.ingest.formats.Fixtures.assertIsMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.SparseActivations;

class ActivationFilesTest {
    @TempDir
    Path dir;

    @Test
    void dispatchesOnExtensionThenContent() throws IOException {
        assertIsMatrix(ActivationFiles.read(Fixtures.path("npz/csc_f32_uncompressed.npz")));
        assertIsMatrix(ActivationFiles.read(Fixtures.path("npy/dense_f16_C.npy")));
        Path noExt = dir.resolve("acts");
        Files.copy(Fixtures.path("npz/csr_f64.npz"), noExt);
        assertIsMatrix(ActivationFiles.read(noExt));
        Path npyNoExt = dir.resolve("dense");
        Files.copy(Fixtures.path("npy/dense_f32_C.npy"), npyNoExt);
        assertIsMatrix(ActivationFiles.read(npyNoExt));
    }

    @Test
    void errorCases() throws IOException {
        assertFails(() -> ActivationFiles.read(dir.resolve("nope.npz")), "nope.npz", "to exist", "no such file");
        Path txt = dir.resolve("acts.txt");
        Files.writeString(txt, "1,2,3");
        assertFails(() -> ActivationFiles.read(txt), "acts.txt", ".npz", "'acts.txt'");
        assertFails(() -> ActivationFiles.read(dir), "delphi latent cache", "no such files");
        assertFails(() -> ActivationFiles.read(Fixtures.path("npz/plain_arrays_not_sparse.npz")), "arr_0");
        assertFails(() -> ActivationFiles.read(Fixtures.path("npy/dense_f32_F.npy")), "fortran_order");
    }

    /** The 5 x 4 fixture matrix as one 2-D tensor [tokens, features]. */
    private static Tensor matrix(String name, DType dtype) {
        float[] flat = new float[20];
        for (int r = 0; r < 5; r++) {
            System.arraycopy(Fixtures.MATRIX[r], 0, flat, r * 4, 4);
        }
        return Tensor.ofFloats(name, dtype, new long[] {5, 4}, flat);
    }

    private Path safetensors(String file, Tensor... tensors) {
        Path f = dir.resolve(file);
        Safetensors.write(f, Map.of(), List.of(tensors));
        return f;
    }

    @Test
    void readsOnePlain2dFloatTensorAsDenseActivations() {
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16, DType.F64)) {
            ActivationFiles.Source s = ActivationFiles.readSource(safetensors(dtype + ".safetensors",
                    matrix("x", dtype)));
            assertIsMatrix(s.activations());
            assertNull(s.tokens());
        }
        // named 'acts' / 'activations' wins among several tensors (other 2-D floats, 1-D, integers)
        assertIsMatrix(ActivationFiles.read(safetensors("named.safetensors",
                Tensor.ofFloats("other", DType.F32, new long[] {2, 2}, new float[] {9, 9, 9, 9}),
                matrix("acts", DType.F32),
                Tensor.ofLongs("ids", DType.I64, new long[] {5}, new long[] {1, 2, 3, 4, 5}))));
        assertIsMatrix(ActivationFiles.read(safetensors("activations.safetensors",
                Tensor.ofFloats("bias", DType.F32, new long[] {4}, new float[] {1, 2, 3, 4}),
                matrix("activations", DType.F16))));
    }

    @Test
    void readsRealCandleF32Matrix() {
        // mel_80 F32 [80, 201], written by the safetensors library; 391 non-zero entries
        SparseActivations a = ActivationFiles.read(Fixtures.path("safetensors/candle/mel_filters.safetensors"));
        assertEquals(80, a.tokens());
        assertEquals(201, a.featureCount());
        assertEquals(391, a.rowPtr()[80]);
        assertArrayEquals(new int[] {0, 1, 3, 5, 7, 9}, Arrays.copyOf(a.rowPtr(), 6));
        assertArrayEquals(new int[] {1, 1, 2}, Arrays.copyOf(a.features(), 3));
        assertArrayEquals(new float[] {0.02486259490251541f, 0.001990821911022067f, 0.022871771827340126f},
                Arrays.copyOf(a.values(), 3));
        int last = a.rowPtr()[79];
        assertEquals(14, 391 - last);
        assertEquals(186, a.features()[last]);
        assertEquals(0.0004487590049393475f, a.values()[390]);
    }

    @Test
    void refusesSafetensorsWithoutOneDenseMatrix() {
        Path two = safetensors("two.safetensors", matrix("a", DType.F32),
                Tensor.ofFloats("b", DType.F16, new long[] {2, 2}, new float[] {1, 0, 0, 1}));
        assertFails(() -> ActivationFiles.read(two), "two.safetensors", "'locations' and 'activations'",
                "one 2-D float tensor [tokens, features]", "'a' F32 [5, 4], 'b' F16 [2, 2]");
        Path both = safetensors("both.safetensors", matrix("acts", DType.F32), matrix("activations", DType.F32));
        assertFails(() -> ActivationFiles.read(both), "both.safetensors", "'acts' F32 [5, 4], 'activations'");
        assertFails(() -> ActivationFiles.read(Fixtures.path("safetensors/hf_samples/f.safetensors")),
                "f.safetensors", "one 2-D float tensor", "tensors 'f' F32 [6]");
        assertFails(() -> ActivationFiles.read(Fixtures.path("safetensors/hf_samples/overall.safetensors")),
                "overall.safetensors", "'B' U8 [6]", "'d' F64 [6]");
        assertFails(() -> ActivationFiles.read(Fixtures.path("safetensors/candle/jfk-codes.safetensors")),
                "jfk-codes.safetensors", "'codes' I64 [1, 2, 828]");
        Path ints = safetensors("ints.safetensors",
                Tensor.ofLongs("x", DType.I32, new long[] {1, 2}, new long[] {1, 2}));
        assertFails(() -> ActivationFiles.read(ints), "ints.safetensors", "'x' I32 [1, 2]");
    }

    @Test
    void refusesNonFiniteOrNegativeDenseValues() {
        float[] v = new float[6];
        v[5] = Float.NaN;
        Path nan = safetensors("nan.safetensors", Tensor.ofFloats("x", DType.F32, new long[] {2, 3}, v));
        assertFails(() -> ActivationFiles.read(nan), "nan.safetensors", "tensor 'x' element [1, 2]",
                "a finite number", "NaN");
        v[5] = 0;
        v[1] = Float.POSITIVE_INFINITY;
        Path inf = safetensors("inf.safetensors", Tensor.ofFloats("x", DType.F16, new long[] {2, 3}, v));
        assertFails(() -> ActivationFiles.read(inf), "inf.safetensors", "tensor 'x' element [0, 1]", "Infinity");
        v[1] = -1;
        Path neg = safetensors("neg.safetensors", Tensor.ofFloats("x", DType.F32, new long[] {2, 3}, v));
        assertFails(() -> ActivationFiles.read(neg), "neg.safetensors", "element [0, 1]", "non-negative");
    }

    @Test
    void delphiCacheFileStaysADelphiCache() {
        Path f = safetensors("layers.5.safetensors",
                Tensor.ofLongs("locations", DType.I64, new long[] {2, 3}, new long[] {0, 2, 7, 1, 0, 4}),
                Tensor.ofFloats("activations", DType.F32, new long[] {2}, new float[] {0.75f, 1.25f}),
                Tensor.ofLongs("tokens", DType.I64, new long[] {2, 3}, new long[] {1, 2, 3, 4, 5, 6}));
        ActivationFiles.Source s = ActivationFiles.readSource(f);
        assertEquals(8, s.activations().featureCount());
        assertArrayEquals(new int[] {0, 0, 0, 1, 2, 2, 2}, s.activations().rowPtr());
        assertArrayEquals(new int[] {7, 4}, s.activations().features());
        assertArrayEquals(new float[] {0.75f, 1.25f}, s.activations().values());
        assertNotNull(s.tokens());
        assertEquals(3, s.contextLength());
        // a broken delphi cache still fails as one, not as dense activations
        Path broken = safetensors("broken.safetensors",
                Tensor.ofLongs("locations", DType.I64, new long[] {1, 2}, new long[] {0, 2}),
                Tensor.ofFloats("activations", DType.F32, new long[] {1}, new float[] {1}));
        assertFails(() -> ActivationFiles.read(broken), "broken.safetensors", "locations");
    }
}
