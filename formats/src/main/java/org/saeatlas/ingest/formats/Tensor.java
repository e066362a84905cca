package org.saeatlas.ingest.formats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One n-dimensional array as read from (or to be written to) a file: its raw little-endian bytes in C (row-major)
 * order. {@code source} names the file it came from, so every conversion error can say where the bad value is.
 * Conversions ({@link #floats()}, {@link #longs()}, {@link #ints()}) copy into Java arrays of at most 2^31-1 elements.
 */
public record Tensor(String source, String name, DType dtype, long[] shape, ByteBuffer data) {

    public Tensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw FormatError.of(source, "tensor '" + name + "' shape", "non-negative dimensions",
                        Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        long bytes = Math.multiplyExact(n, (long) dtype.size());
        if (data.remaining() != bytes) {
            throw FormatError.of(source, "tensor '" + name + "' data", bytes + " bytes for " + dtype + " "
                    + Arrays.toString(shape), data.remaining() + " bytes");
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A float tensor (F32, F16, BF16 or F64) holding {@code values}, for writers and tests. */
    public static Tensor ofFloats(String name, DType dtype, long[] shape, float[] values) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("ofFloats needs a floating dtype, got " + dtype);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F64 -> b.putDouble(v);
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(Half.fromFloat(v));
                default -> b.putShort(Half.floatToBf16(v));
            }
        }
        return new Tensor("(in memory)", name, dtype, shape, b.flip());
    }

    /** An integer or boolean tensor holding {@code values} (truncated to the dtype's width), for writers and tests. */
    public static Tensor ofLongs(String name, DType dtype, long[] shape, long[] values) {
        if (dtype.isFloating()) {
            throw new IllegalArgumentException("ofLongs needs an integer dtype, got " + dtype);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (dtype.size()) {
                case 8 -> b.putLong(v);
                case 4 -> b.putInt((int) v);
                case 2 -> b.putShort((short) v);
                default -> b.put((byte) v);
            }
        }
        return new Tensor("(in memory)", name, dtype, shape, b.flip());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Fails unless the shape equals {@code expected}. */
    public Tensor requireShape(String what, long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw FormatError.of(source, "tensor '" + name + "' shape", Arrays.toString(expected)
                    + (what.isEmpty() ? "" : " (" + what + ")"), Arrays.toString(shape));
        }
        return this;
    }

    /** Fails unless the rank equals {@code rank}. */
    public Tensor requireRank(int rank, String what) {
        if (shape.length != rank) {
            throw FormatError.of(source, "tensor '" + name + "' shape", rank + " dimensions (" + what + ")",
                    Arrays.toString(shape));
        }
        return this;
    }

    /** Fails unless the dtype is one of {@code allowed}. */
    public Tensor requireDtype(DType... allowed) {
        for (DType t : allowed) {
            if (t == dtype) {
                return this;
            }
        }
        throw FormatError.of(source, "tensor '" + name + "' dtype", "one of " + Arrays.toString(allowed), dtype);
    }

    /** The values as floats; the tensor must be F64, F32, F16 or BF16. */
    public float[] floats() {
        if (!dtype.isFloating()) {
            throw FormatError.of(source, "tensor '" + name + "' dtype", "a float type (F32, F16, BF16, F64)",
                    dtype);
        }
        int n = count();
        float[] out = new float[n];
        ByteBuffer b = data();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Half.toFloat(b.getShort(i * 2));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Half.bf16ToFloat(b.getShort(i * 2));
                }
            }
        }
        return out;
    }

    /** {@link #floats()}, failing on the first NaN or infinity with its flat index. */
    public float[] finiteFloats() {
        float[] v = floats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw FormatError.of(source, "tensor '" + name + "' element " + describeIndex(i),
                        "a finite number", v[i]);
            }
        }
        return v;
    }

    /** The values as longs; the tensor must be an integer or boolean type. */
    public long[] longs() {
        if (dtype.isFloating()) {
            throw FormatError.of(source, "tensor '" + name + "' dtype", "an integer type", dtype);
        }
        int n = count();
        long[] out = new long[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case I64 -> b.getLong(i * 8);
                case U64 -> unsigned64(b.getLong(i * 8), i);
                case I32 -> b.getInt(i * 4);
                case U32 -> Integer.toUnsignedLong(b.getInt(i * 4));
                case I16 -> b.getShort(i * 2);
                case U16 -> Short.toUnsignedInt(b.getShort(i * 2));
                case I8 -> b.get(i);
                default -> Byte.toUnsignedInt(b.get(i));
            };
        }
        return out;
    }

    /** {@link #longs()} narrowed to int, failing on the first value outside the int range. */
    public int[] ints() {
        long[] v = longs();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (int) v[i]) {
                throw FormatError.of(source, "tensor '" + name + "' element " + describeIndex(i),
                        "a value that fits a 32-bit int", v[i]);
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** "[r, c]" for a flat index, following the shape. */
    public String describeIndex(long flat) {
        if (shape.length <= 1) {
            return "[" + flat + "]";
        }
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return Arrays.toString(idx);
    }

    private long unsigned64(long v, int i) {
        if (v < 0) {
            throw FormatError.of(source, "tensor '" + name + "' element " + describeIndex(i),
                    "a value below 2^63", Long.toUnsignedString(v));
        }
        return v;
    }

    private int count() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw FormatError.of(source, "tensor '" + name + "'", "at most 2^31 elements to load at once",
                    n + " elements " + Arrays.toString(shape));
        }
        return (int) n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && t.data().equals(data());
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + dtype + " " + Arrays.toString(shape) + " from " + source + "]";
    }
}
