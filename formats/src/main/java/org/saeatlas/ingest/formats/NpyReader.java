package org.saeatlas.ingest.formats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.saeatlas.compute.SparseActivations;

/**
 * Reads numpy {@code .npy} files (format versions 1.0, 2.0 and 3.0): the magic {@code \x93NUMPY}, a version, a
 * little-endian header length (2 bytes in 1.0, 4 bytes later), a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (5, 4), }}, then the raw data. Only C-order arrays of
 * simple little-endian numeric types are accepted; Fortran order is rejected rather than silently transposed.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern TEXT = Pattern.compile("[|<>=]?([SU])(\\d+)");

    private NpyReader() {
    }

    /** Reads a whole {@code .npy} file (memory-mapped, so the data may be up to 2 GiB). */
    public static Tensor read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw FormatError.of(file, "file size", "at most 2 GiB for one .npy array", size + " bytes");
            }
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return parse(file.toString(), stem(file), all);
        } catch (IOException e) {
            throw FormatError.io(file, "read the .npy file", e);
        }
    }

    /** The parsed header of a {@code .npy}: dtype string, order, shape and where the data starts. */
    record Header(String descr, boolean fortranOrder, long[] shape, int dataStart) {
        long numel() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /** Parses {@code .npy} bytes; {@code source} and {@code name} only label error messages and the tensor. */
    public static Tensor parse(String source, String name, ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Header h = header(source, b);
        DType dtype = dtype(source, h.descr());
        if (h.fortranOrder()) {
            throw FormatError.of(source, "npy header 'fortran_order'",
                    "False (C order); save with np.save(path, np.ascontiguousarray(a))", "True (Fortran order)");
        }
        long need = h.numel() * dtype.size();
        checkDataLength(source, b, h, need);
        return new Tensor(source, name, dtype, h.shape(), b.slice(h.dataStart(), (int) need));
    }

    /** Parses a scalar byte or unicode string array ({@code |S3}, {@code <U3}), as scipy stores {@code format}. */
    static String parseText(String source, ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Header h = header(source, b);
        Matcher m = TEXT.matcher(h.descr());
        if (!m.matches() || h.shape().length != 0) {
            throw FormatError.of(source, "npy header", "a scalar string (descr |Sn or <Un, shape ())",
                    "descr '" + h.descr() + "', shape " + java.util.Arrays.toString(h.shape()));
        }
        int width = Integer.parseInt(m.group(2));
        boolean unicode = m.group(1).equals("U");
        int need = unicode ? width * 4 : width;
        checkDataLength(source, b, h, need);
        byte[] raw = new byte[need];
        b.get(h.dataStart(), raw);
        String s = new String(raw, unicode ? java.nio.charset.Charset.forName("UTF-32LE")
                : StandardCharsets.ISO_8859_1);
        int end = s.indexOf('\0');
        return end < 0 ? s : s.substring(0, end);
    }

    static boolean isText(String descr) {
        return TEXT.matcher(descr).matches();
    }

    private static void checkDataLength(String source, ByteBuffer b, Header h, long need) {
        long have = b.remaining() - h.dataStart();
        if (have != need) {
            throw FormatError.of(source, "npy data", need + " bytes for '" + h.descr() + "' "
                    + java.util.Arrays.toString(h.shape()), have + " bytes" + (have < need
                    ? "; the file is truncated" : " (trailing bytes)"));
        }
    }

    static Header header(String source, ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) {
            throw FormatError.of(source, "npy header", "at least 10 bytes (magic, version, header length)",
                    b.remaining() + " bytes; the file is truncated");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                throw FormatError.of(source, "npy magic", "\\x93NUMPY", "other bytes; this is not a .npy file");
            }
        }
        int major = b.get(6);
        if (major < 1 || major > 3) {
            throw FormatError.of(source, "npy version", "1, 2 or 3", major);
        }
        int start = major == 1 ? 10 : 12;
        if (b.remaining() < start) {
            throw FormatError.of(source, "npy header", start + " bytes for a version " + major + " header",
                    b.remaining() + " bytes; the file is truncated");
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : Integer.toUnsignedLong(b.getInt(8));
        if (start + headerLen > b.remaining()) {
            throw FormatError.of(source, "npy header", headerLen + " header bytes",
                    (b.remaining() - start) + " bytes; the file is truncated");
        }
        byte[] raw = new byte[(int) headerLen];
        b.get(start, raw);
        String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(text);
        if (!d.find()) {
            throw FormatError.of(source, "npy header 'descr'", "a simple dtype string such as '<f4'", text.trim());
        }
        Matcher f = FORTRAN.matcher(text);
        if (!f.find()) {
            throw FormatError.of(source, "npy header 'fortran_order'", "True or False", text.trim());
        }
        return new Header(d.group(1), f.group(1).equals("True"), shape(source, text), start + (int) headerLen);
    }

    /**
     * Reads a dense {@code [n_tokens, d_sae]} float activation matrix into sparse rows, keeping the non-zero
     * entries. Activations must be finite and non-negative (ReLU, JumpReLU and top-k SAEs cannot emit negatives).
     */
    public static SparseActivations readActivations(Path file) {
        Tensor t = read(file);
        return denseToSparse(t);
    }

    static SparseActivations denseToSparse(Tensor t) {
        t.requireRank(2, "[n_tokens, d_sae]");
        long[] shape = t.shape();
        float[] v = t.finiteFloats();
        int rows = (int) shape[0];
        int cols = Math.toIntExact(shape[1]);
        int nnz = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                throw FormatError.of(t.source(), "tensor '" + t.name() + "' element " + t.describeIndex(i),
                        "a non-negative SAE activation", v[i]);
            }
            nnz += v[i] != 0 ? 1 : 0;
        }
        int[] ptr = new int[rows + 1];
        int[] feat = new int[nnz];
        float[] val = new float[nnz];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float x = v[r * cols + c];
                if (x != 0) {
                    feat[k] = c;
                    val[k++] = x;
                }
            }
            ptr[r + 1] = k;
        }
        return new SparseActivations(rows, cols, ptr, feat, val);
    }

    private static DType dtype(String source, String descr) {
        DType t = DType.fromNumpy(descr);
        if (t == null) {
            String hint = descr.startsWith(">") ? " (big-endian; save with arr.astype('<f4'))" : "";
            throw FormatError.of(source, "npy header 'descr'",
                    "a little-endian numeric dtype (<f2, <f4, <f8, <i1..<i8, |u1..<u8, |b1)", "'" + descr + "'"
                            + hint);
        }
        return t;
    }

    private static long[] shape(String source, String header) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw FormatError.of(source, "npy header 'shape'", "a tuple of integers", header.trim());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw FormatError.of(source, "npy header 'shape'", "a tuple of integers", "(" + m.group(1) + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
