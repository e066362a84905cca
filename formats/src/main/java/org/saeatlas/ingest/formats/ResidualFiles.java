package org.saeatlas.ingest.formats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.saeatlas.errors.AtlasException;

/**
 * Residual-stream activations to be encoded by an SAE: a dense {@code [tokens, d_in]} float array (or
 * {@code [batch, seq, d_in]}, flattened to tokens in C order) in a numpy {@code .npy} or one tensor of a
 * {@code .safetensors} file; float32, float16, bfloat16 (safetensors) or float64, widened to float32.
 *
 * <p>Iterating gives row-major {@code float[rows x d_in]} batches of at most {@code batchRows} tokens, read from
 * the memory-mapped file only when asked for, so memory stays at one batch however large the file (a {@code .npy}
 * may exceed 2 GiB; a safetensors tensor must stay below 2 GiB). Every iteration starts again at token 0. The last
 * dimension must equal the SAE's d_in and every value must be finite; errors name the file, the token and the column.
 */
public final class ResidualFiles implements Iterable<float[]> {
    private static final List<DType> FLOATS = List.of(DType.F32, DType.F16, DType.BF16, DType.F64);
    private static final int MAX_HEADER_MAP = 1 << 20;

    private final Path file;
    private final String what;
    private final DType dtype;
    private final long tokens;
    private final int dIn;
    private final int batchRows;
    private final Window window;

    /** Reads {@code rows} tokens from token {@code from} as raw little-endian bytes. */
    @FunctionalInterface
    private interface Window {
        ByteBuffer rows(long from, int rows);
    }

    private ResidualFiles(Path file, String what, DType dtype, long[] shape, int dIn, int batchRows, Window window) {
        this.file = file;
        this.what = what;
        this.dtype = dtype;
        this.dIn = dIn;
        this.batchRows = batchRows;
        this.window = window;
        if (!FLOATS.contains(dtype)) {
            throw FormatError.of(file, what + " dtype", "a float type " + FLOATS, dtype);
        }
        if (shape.length < 2) {
            throw FormatError.of(file, what + " shape", "[tokens, d_in] or [batch, seq, d_in]",
                    Arrays.toString(shape));
        }
        if (shape[shape.length - 1] != dIn) {
            throw new AtlasException(file + " has " + shape[shape.length - 1] + " columns (" + what + " shape "
                    + Arrays.toString(shape) + ") but the SAE's d_in is " + dIn + "; give the residual stream at"
                    + " the hook the SAE reads (its cfg.json hook_name), one row per token");
        }
        long n = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            n *= shape[i];
        }
        if (n == 0) {
            throw FormatError.of(file, what + " shape", "at least one token", Arrays.toString(shape));
        }
        this.tokens = n;
    }

    /**
     * Opens {@code file} ({@code .npy}, or {@code .safetensors} with {@code tensor} naming the tensor: null when it
     * holds exactly one) for an SAE reading {@code dIn} values a token, to be read {@code batchRows} tokens at a time.
     */
    public static ResidualFiles open(Path file, String tensor, int dIn, int batchRows) {
        if (batchRows < 1 || dIn < 1) {
            throw new AtlasException("residuals: batchRows and d_in must be >= 1, found " + batchRows + ", " + dIn);
        }
        if (!Files.isRegularFile(file)) {
            throw FormatError.of(file, "residual file", "to exist", "no such file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return safetensors(file, tensor, dIn, batchRows);
        }
        if (tensor != null) {
            throw FormatError.of(file, "residual tensor name", "none for a .npy (it holds one array)", tensor);
        }
        return npy(file, dIn, batchRows);
    }

    private static ResidualFiles npy(Path file, int dIn, int batchRows) {
        NpyReader.Header h;
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            h = NpyReader.header(file.toString(), ch.map(FileChannel.MapMode.READ_ONLY, 0,
                    Math.min(size, MAX_HEADER_MAP)));
        } catch (IOException e) {
            throw FormatError.io(file, "read the residual .npy", e);
        }
        DType dtype = DType.fromNumpy(h.descr());
        if (dtype == null) {
            throw FormatError.of(file, "npy header 'descr'", "a little-endian float dtype (<f4, <f2, <f8)",
                    "'" + h.descr() + "'");
        }
        if (h.fortranOrder()) {
            throw FormatError.of(file, "npy header 'fortran_order'",
                    "False (C order); save with np.save(path, np.ascontiguousarray(a))", "True (Fortran order)");
        }
        long need = h.numel() * dtype.size();
        long have = size - h.dataStart();
        if (have != need) {
            throw FormatError.of(file, "npy data", need + " bytes for '" + h.descr() + "' "
                    + Arrays.toString(h.shape()), have + " bytes" + (have < need ? "; the file is truncated"
                    : " (trailing bytes)"));
        }
        long rowBytes = (long) dIn * dtype.size();
        Window w = (from, rows) -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, h.dataStart() + from * rowBytes, rows * rowBytes);
            } catch (IOException e) {
                throw FormatError.io(file, "read the residual .npy", e);
            }
        };
        return new ResidualFiles(file, "array", dtype, h.shape(), dIn, batchRows, w);
    }

    private static ResidualFiles safetensors(Path file, String name, int dIn, int batchRows) {
        SafetensorsFile st = Safetensors.read(file);
        Tensor t;
        if (name != null) {
            t = st.tensor(name);
        } else if (st.tensors().size() == 1) {
            t = st.tensors().values().iterator().next();
        } else {
            throw FormatError.of(file, "residual tensor", "one tensor, or the name of one (--residual-tensor)",
                    st.tensors().size() + " tensors " + st.tensors().keySet());
        }
        ByteBuffer data = t.data();
        long rowBytes = (long) dIn * t.dtype().size();
        Window w = (from, rows) -> data.slice((int) (from * rowBytes), (int) (rows * rowBytes));
        return new ResidualFiles(file, "tensor '" + t.name() + "'", t.dtype(), t.shape(), dIn, batchRows, w);
    }

    public Path file() {
        return file;
    }

    /** Number of tokens (rows after flattening the leading dimensions). */
    public long tokens() {
        return tokens;
    }

    public int dIn() {
        return dIn;
    }

    /** The storage type of the values (widened to float32 when read). */
    public DType dtype() {
        return dtype;
    }

    @Override
    public Iterator<float[]> iterator() {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < tokens;
            }

            @Override
            public float[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int rows = (int) Math.min(batchRows, tokens - next);
                float[] out = floats(next, window.rows(next, rows).order(ByteOrder.LITTLE_ENDIAN), rows);
                next += rows;
                return out;
            }
        };
    }

    private float[] floats(long from, ByteBuffer b, int rows) {
        float[] out = new float[rows * dIn];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Half.toFloat(b.getShort(i * 2));
                }
            }
            default -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Half.bf16ToFloat(b.getShort(i * 2));
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                throw FormatError.of(file, what + " token " + (from + i / dIn) + ", column " + (i % dIn),
                        "a finite number", out[i]);
            }
        }
        return out;
    }
}
