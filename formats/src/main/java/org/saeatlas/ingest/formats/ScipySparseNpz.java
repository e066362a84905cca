package org.saeatlas.ingest.formats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.saeatlas.compute.SparseActivations;

/**
 * Reads and writes {@code scipy.sparse.save_npz} files: a zip of {@code format} ({@code b'csr'}, {@code b'csc'} or
 * {@code b'coo'}), {@code shape}, and {@code indptr}/{@code indices}/{@code data} (or {@code row}/{@code col}/
 * {@code data} for COO), int32 or int64 indices, stored or deflated. Rows are tokens and columns features. An
 * {@code _is_array} member ({@code csr_array}) is ignored. Unsorted or duplicate indices are summed and sorted as
 * scipy's {@code sum_duplicates} would; explicit zeros are dropped.
 */
public final class ScipySparseNpz {
    private ScipySparseNpz() {
    }

    public static SparseActivations read(Path file) {
        NpzArchive.Contents contents = NpzArchive.read(file);
        Map<String, Tensor> m = contents.arrays();
        String format = contents.texts().get("format");
        if (format == null) {
            throw FormatError.of(file, "member 'format'", "a scipy.sparse.save_npz file with members format, "
                    + "shape, indptr, indices, data", "members " + contents.keys()
                    + (m.containsKey("arr_0") ? " (a plain np.savez archive; save the matrix with "
                            + "scipy.sparse.save_npz, or a dense array with np.save to .npy)" : ""));
        }
        long[] shape = shape(file, require(file, m, "shape"));
        return switch (format) {
            case "csr" -> compressed(file, m, shape, false);
            case "csc" -> compressed(file, m, shape, true);
            case "coo" -> coo(file, m, shape);
            default -> throw FormatError.of(file, "member 'format'", "'csr', 'csc' or 'coo'", "'" + format
                    + "'; convert with matrix.tocsr() before save_npz");
        };
    }

    /** Writes CSR float32 with int32 indices and an int64 shape, as {@code save_npz(csr_matrix)} does. */
    public static void write(Path file, SparseActivations a, boolean compressed) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("indices", NpyWriter.toBytes(
                Tensor.ofLongs("indices", DType.I32, new long[] {a.nnz()}, toLongs(a.features()))));
        members.put("indptr", NpyWriter.toBytes(
                Tensor.ofLongs("indptr", DType.I32, new long[] {a.tokens() + 1L}, toLongs(a.rowPtr()))));
        members.put("format", NpyWriter.textScalarBytes("csr"));
        members.put("shape", NpyWriter.toBytes(
                Tensor.ofLongs("shape", DType.I64, new long[] {2}, new long[] {a.tokens(), a.featureCount()})));
        members.put("data", NpyWriter.toBytes(Tensor.ofFloats("data", DType.F32, new long[] {a.nnz()}, a.values())));
        AtomicWrite.write(file, out -> writeZip(out, members, compressed));
    }

    private static void writeZip(OutputStream out, Map<String, byte[]> members, boolean compressed)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            byte[] bytes = m.getValue();
            ZipEntry e = new ZipEntry(m.getKey() + ".npy");
            e.setTime(315532800000L);
            if (!compressed) {
                CRC32 crc = new CRC32();
                crc.update(bytes);
                e.setMethod(ZipEntry.STORED);
                e.setSize(bytes.length);
                e.setCompressedSize(bytes.length);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(bytes);
            zip.closeEntry();
        }
        zip.finish();
    }

    private static SparseActivations compressed(Path file, Map<String, Tensor> m, long[] shape, boolean csc) {
        Tensor indptrT = require(file, m, "indptr").requireRank(1, "[n_major + 1]");
        Tensor indicesT = require(file, m, "indices").requireRank(1, "[nnz]");
        Tensor dataT = require(file, m, "data").requireRank(1, "[nnz]");
        long major = csc ? shape[1] : shape[0];
        long minor = csc ? shape[0] : shape[1];
        indptrT.requireShape(csc ? "columns + 1" : "rows + 1", major + 1);
        long[] indptr = indptrT.longs();
        int nnz = (int) indicesT.numel();
        if (dataT.numel() != nnz) {
            throw FormatError.of(file, "member 'data'", nnz + " values (as many as 'indices')", dataT.numel());
        }
        if (indptr[0] != 0 || indptr[(int) major] != nnz) {
            throw FormatError.of(file, "member 'indptr'", "to start at 0 and end at nnz=" + nnz,
                    indptr[0] + " .. " + indptr[(int) major]);
        }
        long[] idx = indicesT.longs();
        float[] vals = activationValues(file, dataT);
        int[] majorOf = new int[nnz];
        for (int r = 0; r < major; r++) {
            if (indptr[r + 1] < indptr[r]) {
                throw FormatError.of(file, "member 'indptr'", "non-decreasing values",
                        "a decrease at position " + (r + 1) + " (" + indptr[r] + " -> " + indptr[r + 1] + ")");
            }
            for (long k = indptr[r]; k < indptr[r + 1]; k++) {
                majorOf[(int) k] = r;
            }
        }
        int[] minorOf = checkedIndices(file, "indices", idx, minor, csc ? "rows (tokens)" : "columns (features)");
        return csc ? Triplets.toCsr(shape, minorOf, majorOf, vals) : Triplets.toCsr(shape, majorOf, minorOf, vals);
    }

    private static SparseActivations coo(Path file, Map<String, Tensor> m, long[] shape) {
        Tensor rowT = require(file, m, "row").requireRank(1, "[nnz]");
        long nnz = rowT.numel();
        Tensor colT = require(file, m, "col").requireShape("as many as 'row'", nnz);
        Tensor dataT = require(file, m, "data").requireShape("as many as 'row'", nnz);
        int[] rows = checkedIndices(file, "row", rowT.longs(), shape[0], "rows (tokens)");
        int[] cols = checkedIndices(file, "col", colT.longs(), shape[1], "columns (features)");
        return Triplets.toCsr(shape, rows, cols, activationValues(file, dataT));
    }

    private static int[] checkedIndices(Path file, String member, long[] idx, long bound, String what) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= bound) {
                throw FormatError.of(file, "member '" + member + "' element [" + i + "]",
                        "an index in [0, " + bound + ") of the " + what, idx[i]);
            }
            out[i] = (int) idx[i];
        }
        return out;
    }

    static float[] activationValues(Object file, Tensor dataT) {
        float[] v = dataT.finiteFloats();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                throw FormatError.of(file, "member '" + dataT.name() + "' element [" + i + "]",
                        "a non-negative SAE activation (ReLU, JumpReLU and top-k SAEs never emit negatives)", v[i]);
            }
        }
        return v;
    }

    private static long[] shape(Path file, Tensor t) {
        t.requireShape("(n_tokens, n_features)", 2);
        long[] s = t.longs();
        if (s[0] < 0 || s[1] < 0 || s[0] >= Integer.MAX_VALUE || s[1] >= Integer.MAX_VALUE) {
            throw FormatError.of(file, "member 'shape'", "two dimensions in [0, 2^31 - 1)", Arrays.toString(s));
        }
        return s;
    }

    private static Tensor require(Path file, Map<String, Tensor> m, String key) {
        Tensor t = m.get(key);
        if (t == null) {
            throw FormatError.of(file, "member '" + key + ".npy'", "present in a scipy sparse .npz", "members "
                    + m.keySet());
        }
        return t;
    }

    private static long[] toLongs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
