package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;
import static org.saeatlas.ingest.formats.Fixtures.assertIsMatrix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.SparseActivations;

class ScipySparseNpzTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryScipyVariant() {
        for (String f : List.of("csr_f32_compressed", "csc_f32_uncompressed", "csr_f32_int64_indices", "csr_f64",
                "csr_array_f32", "coo_f32")) {
            assertIsMatrix(ScipySparseNpz.read(Fixtures.path("npz/" + f + ".npz")));
        }
    }

    @Test
    void rejectsPlainNpzByName() {
        assertFails(() -> ScipySparseNpz.read(Fixtures.path("npz/plain_arrays_not_sparse.npz")),
                "plain_arrays_not_sparse.npz", "member 'format'", "scipy.sparse.save_npz", "[arr_0]", "np.savez");
    }

    @Test
    void writerRoundTripsAndMatchesScipyMembers() throws IOException {
        SparseActivations a = ScipySparseNpz.read(Fixtures.path("npz/csr_f32_compressed.npz"));
        for (boolean compressed : new boolean[] {true, false}) {
            Path out = dir.resolve("out" + compressed + ".npz");
            ScipySparseNpz.write(out, a, compressed);
            assertIsMatrix(ScipySparseNpz.read(out));
            Map<String, byte[]> ours = members(out);
            Map<String, byte[]> scipy = members(Fixtures.path("npz/csr_f32_compressed.npz"));
            assertEquals(scipy.keySet(), ours.keySet());
            for (String k : scipy.keySet()) {
                assertArrayEquals(scipy.get(k), ours.get(k), "member " + k + " is byte-exact with scipy");
            }
            try (ZipFile z = new ZipFile(out.toFile())) {
                int method = compressed ? ZipEntry.DEFLATED : ZipEntry.STORED;
                z.stream().forEach(e -> assertEquals(method, e.getMethod()));
            }
        }
    }

    @Test
    void canonicalisesUnsortedAndDuplicateIndicesAndDropsZeros() throws IOException {
        Path f = dir.resolve("messy.npz");
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("indices", i32("indices", 3, 1, 1, 0, 2));
        m.put("indptr", i32("indptr", 0, 3, 5));
        m.put("format", NpyWriter.textScalarBytes("csr"));
        m.put("shape", i64("shape", 2, 4));
        m.put("data", f32("data", 1f, 2f, 0.5f, 0f, 7f));
        zip(f, m);
        SparseActivations a = ScipySparseNpz.read(f);
        assertArrayEquals(new int[] {0, 2, 3}, a.rowPtr());
        assertArrayEquals(new int[] {1, 3, 2}, a.features());
        assertArrayEquals(new float[] {2.5f, 1f, 7f}, a.values());
    }

    @Test
    void errorCases() throws IOException {
        Map<String, byte[]> good = new LinkedHashMap<>();
        good.put("indices", i32("indices", 1, 0));
        good.put("indptr", i32("indptr", 0, 1, 2));
        good.put("format", NpyWriter.textScalarBytes("csr"));
        good.put("shape", i64("shape", 2, 4));
        good.put("data", f32("data", 1f, 2f));

        assertFails(() -> readWith(good, "indices", i32("indices", 1, 4)), "bad.npz", "member 'indices' element [1]",
                "[0, 4)", "found 4");
        assertFails(() -> readWith(good, "indices", i32("indices", -1, 0)), "element [0]", "found -1");
        assertFails(() -> readWith(good, "data", f32("data", 1f, Float.POSITIVE_INFINITY)), "data.npy",
                "element [1]", "finite", "Infinity");
        assertFails(() -> readWith(good, "data", f32("data", 1f, -2f)), "member 'data'", "non-negative", "-2.0");
        assertFails(() -> readWith(good, "data", f32("data", 1f)), "member 'data'", "2 values", "found 1");
        assertFails(() -> readWith(good, "indptr", i32("indptr", 0, 2)), "tensor 'indptr' shape", "[3]", "[2]");
        assertFails(() -> readWith(good, "indptr", i32("indptr", 0, 2, 1)), "'indptr'", "end at nnz=2");
        assertFails(() -> readWith(good, "format", NpyWriter.textScalarBytes("bsr")), "'csr', 'csc' or 'coo'",
                "'bsr'");
        assertFails(() -> readWith(good, "data", i32("data", 1, 2)), "tensor 'data' dtype", "float", "I32");
        assertFails(() -> readWith(good, "shape", null), "member 'shape.npy'", "present", "[indices, indptr, data");

        byte[] whole = Files.readAllBytes(Fixtures.path("npz/csr_f32_compressed.npz"));
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 30));
        assertFails(() -> ScipySparseNpz.read(cut), "cut.npz", "zip", "truncated");

        byte[] flipped = Files.readAllBytes(Fixtures.path("npz/csc_f32_uncompressed.npz"));
        int at = indexOf(flipped, new byte[] {0, 0, (byte) 0xc0, 0x3f}); // 1.5f in data.npy
        flipped[at + 3] = 0x40;
        Path corrupt = dir.resolve("corrupt.npz");
        Files.write(corrupt, flipped);
        assertFails(() -> ScipySparseNpz.read(corrupt), "corrupt.npz", "CRC-32");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    private SparseActivations readWith(Map<String, byte[]> good, String key, byte[] replacement) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>(good);
        if (replacement == null) {
            m.remove(key);
        } else {
            m.put(key, replacement);
        }
        Path f = dir.resolve("bad.npz");
        zip(f, m);
        return ScipySparseNpz.read(f);
    }

    static byte[] i32(String name, long... v) {
        return NpyWriter.toBytes(Tensor.ofLongs(name, DType.I32, new long[] {v.length}, v));
    }

    static byte[] i64(String name, long... v) {
        return NpyWriter.toBytes(Tensor.ofLongs(name, DType.I64, new long[] {v.length}, v));
    }

    static byte[] f32(String name, float... v) {
        return NpyWriter.toBytes(Tensor.ofFloats(name, DType.F32, new long[] {v.length}, v));
    }

    static void zip(Path f, Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        Files.write(f, bytes.toByteArray());
    }

    private static Map<String, byte[]> members(Path f) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(f.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }
}
