package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    private static float[] flat() {
        float[] out = new float[20];
        for (int r = 0; r < 5; r++) {
            System.arraycopy(Fixtures.MATRIX[r], 0, out, r * 4, 4);
        }
        return out;
    }

    @Test
    void readsNumpyFilesInEachFloatType() {
        for (String f : new String[] {"dense_f32_C.npy", "dense_f16_C.npy", "dense_f64_C.npy"}) {
            Tensor t = NpyReader.read(Fixtures.path("npy/" + f));
            assertArrayEquals(new long[] {5, 4}, t.shape(), f);
            assertArrayEquals(flat(), t.floats(), f);
            Fixtures.assertIsMatrix(NpyReader.readActivations(Fixtures.path("npy/" + f)));
        }
        assertEquals(DType.F16, NpyReader.read(Fixtures.path("npy/dense_f16_C.npy")).dtype());
    }

    @Test
    void rejectsFortranOrder() {
        assertFails(() -> NpyReader.read(Fixtures.path("npy/dense_f32_F.npy")), "dense_f32_F.npy",
                "fortran_order", "expected False (C order)", "found True");
    }

    @Test
    void writerIsByteExactWithNumpy() throws IOException {
        for (String f : new String[] {"dense_f32_C.npy", "dense_f16_C.npy", "dense_f64_C.npy"}) {
            Path src = Fixtures.path("npy/" + f);
            Tensor t = NpyReader.read(src);
            Path out = dir.resolve(f);
            NpyWriter.write(out, t);
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out), f);
            Tensor rebuilt = Tensor.ofFloats("x", t.dtype(), new long[] {5, 4}, flat());
            assertArrayEquals(Files.readAllBytes(src), NpyWriter.toBytes(rebuilt), f);
        }
        assertEquals(0, Files.list(dir).filter(p -> p.toString().endsWith(".tmp")).count());
    }

    @Test
    void rejectsTruncatedFile() throws IOException {
        byte[] all = Files.readAllBytes(Fixtures.path("npy/dense_f32_C.npy"));
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(all, all.length - 3));
        assertFails(() -> NpyReader.read(cut), "cut.npy", "npy data", "expected 80 bytes", "found 77 bytes",
                "truncated");
        Files.write(cut, Arrays.copyOf(all, 40));
        assertFails(() -> NpyReader.read(cut), "cut.npy", "npy header", "truncated");
    }

    @Test
    void rejectsNotNpyAndBigEndianAndNonFiniteAndNegative() throws IOException {
        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "hello, this is not numpy at all");
        assertFails(() -> NpyReader.read(junk), "junk.npy", "npy magic", "\\x93NUMPY");

        byte[] all = Files.readAllBytes(Fixtures.path("npy/dense_f32_C.npy"));
        byte[] big = all.clone();
        big[21] = '>';
        Path be = dir.resolve("be.npy");
        Files.write(be, big);
        assertFails(() -> NpyReader.read(be), "be.npy", "descr", "little-endian", "'>f4'", "big-endian");

        float[] v = flat();
        v[6] = Float.NaN;
        Path nan = dir.resolve("nan.npy");
        NpyWriter.write(nan, Tensor.ofFloats("x", DType.F32, new long[] {5, 4}, v));
        assertFails(() -> NpyReader.readActivations(nan), "nan.npy", "element [1, 2]", "finite", "NaN");

        v = flat();
        v[1] = -1f;
        Path neg = dir.resolve("neg.npy");
        NpyWriter.write(neg, Tensor.ofFloats("x", DType.F32, new long[] {5, 4}, v));
        assertFails(() -> NpyReader.readActivations(neg), "neg.npy", "element [0, 1]", "non-negative", "-1.0");

        Path one = dir.resolve("one.npy");
        NpyWriter.write(one, Tensor.ofFloats("x", DType.F32, new long[] {20}, flat()));
        assertFails(() -> NpyReader.readActivations(one), "one.npy", "2 dimensions", "[20]");

        Path ints = dir.resolve("ints.npy");
        NpyWriter.write(ints, Tensor.ofLongs("x", DType.I32, new long[] {2, 2}, new long[] {1, 2, 3, 4}));
        assertFails(() -> NpyReader.readActivations(ints), "ints.npy", "dtype", "float", "I32");
    }

    @Test
    void halfConversionsRoundTripEveryHalf() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) h, Half.fromFloat(f), "half bits " + Integer.toHexString(h));
        }
        assertEquals(65504f, Half.toFloat(Half.fromFloat(65519f)));
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(65520f)));
        assertEquals(1.0f, Half.toFloat(Half.fromFloat(1.0f + 0x1p-11f)), "tie rounds to even");
        assertEquals(1.0f + 0x1p-9f, Half.toFloat(Half.fromFloat(1.0f + 0x1p-10f + 0x1p-11f)), "tie rounds to even");
        assertEquals(0x1p-24f, Half.toFloat((short) 1));
        assertEquals(1.5f, Half.bf16ToFloat(Half.floatToBf16(1.5f)));
        assertEquals(1.0f, Half.bf16ToFloat(Half.floatToBf16(1.0f + 0x1p-8f)), "bf16 tie to even");
    }
}
