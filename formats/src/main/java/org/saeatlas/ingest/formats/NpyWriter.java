package org.saeatlas.ingest.formats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes numpy {@code .npy} version 1.0 files exactly as {@code numpy.save} (numpy 2.x) does: the header dict with
 * keys in sorted order, 21 minus the digits of the first dimension spare spaces (room to grow the array in place),
 * padding with spaces and a final newline to a multiple of 64 bytes, then C-order little-endian data.
 */
public final class NpyWriter {
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private NpyWriter() {
    }

    /** Writes {@code t} to {@code file} atomically. BF16 has no numpy type and is rejected. */
    public static void write(Path file, Tensor t) {
        byte[] header = header(file.toString(), t);
        AtomicWrite.write(file, out -> {
            out.write(header);
            writeData(out, t);
        });
    }

    /** The complete {@code .npy} bytes of {@code t}. */
    public static byte[] toBytes(Tensor t) {
        byte[] header = header(t.name(), t);
        ByteBuffer data = t.data();
        byte[] out = new byte[header.length + data.remaining()];
        System.arraycopy(header, 0, out, 0, header.length);
        data.get(out, header.length, data.remaining());
        return out;
    }

    static void writeData(OutputStream out, Tensor t) throws IOException {
        ByteBuffer data = t.data();
        byte[] chunk = new byte[1 << 16];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** A scalar byte-string array ({@code |Sn}), as scipy stores its {@code format} member. */
    public static byte[] textScalarBytes(String text) {
        byte[] s = text.getBytes(StandardCharsets.US_ASCII);
        byte[] h = header("|S" + s.length, new long[0]);
        byte[] out = java.util.Arrays.copyOf(h, h.length + s.length);
        System.arraycopy(s, 0, out, h.length, s.length);
        return out;
    }

    static byte[] header(String target, Tensor t) {
        String descr = t.dtype().numpyDescr();
        if (descr == null) {
            throw FormatError.of(target, "tensor '" + t.name() + "' dtype",
                    "a type numpy can store (BF16 has none; convert to F32 first)", t.dtype());
        }
        return header(descr, t.shape());
    }

    private static byte[] header(String descr, long[] shape) {
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, ")
                .append("'shape': ").append(tuple(shape)).append(", }");
        if (shape.length > 0) {
            s.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        int total = 10 + s.length() + 1;
        int pad = (ALIGN - total % ALIGN) % ALIGN;
        s.append(" ".repeat(pad)).append('\n');
        byte[] dict = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + dict.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) dict.length;
        out[9] = (byte) (dict.length >>> 8);
        System.arraycopy(dict, 0, out, 10, dict.length);
        return out;
    }

    private static String tuple(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }
}
