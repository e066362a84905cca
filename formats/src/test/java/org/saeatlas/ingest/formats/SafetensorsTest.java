package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static final long[] MINUS3_TO_2 = {-3, -2, -1, 0, 1, 2};

    @Test
    void readsHuggingFaceSamplesWithUnalignedHeaders() {
        Map<String, DType> files = Map.of("B", DType.U8, "H", DType.U16, "I", DType.U32, "b", DType.I8, "h",
                DType.I16, "i", DType.I32, "d", DType.F64, "e", DType.F16, "f", DType.F32);
        for (Map.Entry<String, DType> f : files.entrySet()) {
            SafetensorsFile st = Safetensors.read(Fixtures.path("safetensors/hf_samples/" + f.getKey()
                    + ".safetensors"));
            assertEquals(Map.of("test", "a"), st.metadata());
            Tensor t = st.tensor(f.getKey());
            assertEquals(f.getValue(), t.dtype());
            assertArrayEquals(new long[] {6}, t.shape());
            check(t);
        }
        SafetensorsFile all = Safetensors.read(Fixtures.path("safetensors/hf_samples/overall.safetensors"));
        assertEquals(List.of("B", "H", "I", "b", "d", "e", "f", "h", "i"), new ArrayList<>(all.tensors().keySet()));
        all.tensors().values().forEach(SafetensorsTest::check);
    }

    private static void check(Tensor t) {
        if (t.dtype().isFloating()) {
            assertArrayEquals(new float[] {-3, -2, -1, 0, 1, 2}, t.floats(), t.name());
            return;
        }
        long[] want = MINUS3_TO_2.clone();
        if (t.dtype().isUnsigned()) {
            long mod = 1L << (8 * t.dtype().size());
            for (int i = 0; i < 3; i++) {
                want[i] += mod;
            }
        }
        assertArrayEquals(want, t.longs(), t.name());
    }

    @Test
    void readsCandleFilesAndWritesThemByteExact() throws IOException {
        for (String f : List.of("mel_filters", "jfk-codes")) {
            Path src = Fixtures.path("safetensors/candle/" + f + ".safetensors");
            SafetensorsFile st = Safetensors.read(src);
            assertEquals(Map.of(), st.metadata());
            Path out = dir.resolve(f + ".safetensors");
            Safetensors.write(out, Map.of(), new ArrayList<>(st.tensors().values()));
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out), f);
        }
        Tensor mel = Safetensors.read(Fixtures.path("safetensors/candle/mel_filters.safetensors")).tensor("mel_80");
        assertArrayEquals(new long[] {80, 201}, mel.shape());
        assertEquals(80 * 201, mel.finiteFloats().length);
        Tensor codes = Safetensors.read(Fixtures.path("safetensors/candle/jfk-codes.safetensors")).tensor("codes");
        assertEquals(DType.I64, codes.dtype());
        assertArrayEquals(new long[] {1, 2, 828}, codes.shape());
    }

    @Test
    void roundTripsEveryDtypeIncludingBf16() {
        List<Tensor> ts = new ArrayList<>();
        float[] f = {-3.5f, 0f, 1.25f, 65504f};
        for (DType d : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
            ts.add(Tensor.ofFloats("t_" + d, d, new long[] {2, 2}, f));
        }
        long[] l = {0, 1, 100, 127};
        for (DType d : new DType[] {DType.I64, DType.I32, DType.I16, DType.I8, DType.U8, DType.U16, DType.U32,
            DType.BOOL}) {
            ts.add(Tensor.ofLongs("t_" + d, d, new long[] {4}, d == DType.BOOL ? new long[] {0, 1, 1, 0} : l));
        }
        Path out = dir.resolve("all.safetensors");
        Safetensors.write(out, Map.of("format", "pt"), ts);
        SafetensorsFile st = Safetensors.read(out);
        assertEquals(Map.of("format", "pt"), st.metadata());
        for (Tensor t : ts) {
            assertEquals(t, st.tensor(t.name()), t.name());
        }
        assertArrayEquals(new float[] {-3.5f, 0f, 1.25f, 65536f}, st.tensor("t_BF16").floats());
        assertArrayEquals(f, st.tensor("t_F16").floats());
    }

    @Test
    void errorCases() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.path("safetensors/hf_samples/f.safetensors"));
        Path p = dir.resolve("bad.safetensors");

        Files.write(p, Arrays.copyOf(good, good.length - 4));
        assertFails(() -> Safetensors.read(p), "bad.safetensors", "data section", "24 bytes", "found 20 bytes",
                "truncated");
        Files.write(p, Arrays.copyOf(good, 50));
        assertFails(() -> Safetensors.read(p), "header length", "found 83", "truncated");
        Files.write(p, Arrays.copyOf(good, 5));
        assertFails(() -> Safetensors.read(p), "header length", "expected 8 bytes", "found 5 bytes");
        byte[] longer = Arrays.copyOf(good, good.length + 4);
        Files.write(p, longer);
        assertFails(() -> Safetensors.read(p), "data section", "trailing bytes");

        write(p, "{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20);
        assertFails(() -> Safetensors.read(p), "tensor 'x' data_offsets", "24 bytes for F32 [2, 3]", "[0, 20]");
        write(p, "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        assertFails(() -> Safetensors.read(p), "tensor 'x' dtype", "one of", "F8_E4M3");
        write(p, "{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", 3);
        assertFails(() -> Safetensors.read(p), "'x' data_offsets", "begin at byte 0", "[1, 3]");
        write(p, "{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"y\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", 3);
        assertFails(() -> Safetensors.read(p), "'y' data_offsets", "begin at byte 2");
        write(p, "{\"x\":{\"dtype\":\"U8\",\"shape\":[-2],\"data_offsets\":[0,2]}}", 2);
        assertFails(() -> Safetensors.read(p), "'x' shape", "non-negative integers");
        write(p, "{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}", 2);
        assertFails(() -> Safetensors.read(p), "header", "valid JSON");
        write(p, "{\"__metadata__\":{\"n\":3}}", 0);
        assertFails(() -> Safetensors.read(p), "__metadata__.n", "a string", "3");
        write(p, "{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        assertFails(() -> Safetensors.read(p).tensor("W_enc"), "tensor 'W_enc'", "present", "[x]");
        write(p, "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 0);
        Files.write(p, concat(Files.readAllBytes(p), floatBytes(Float.NaN)));
        assertFails(() -> Safetensors.read(p).tensor("x").finiteFloats(), "tensor 'x' element [0]", "finite", "NaN");
    }

    static void write(Path p, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(p, b.array());
    }

    private static byte[] floatBytes(float f) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
