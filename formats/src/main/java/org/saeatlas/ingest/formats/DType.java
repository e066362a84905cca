package org.saeatlas.ingest.formats;

/**
 * Element types shared by safetensors (its dtype names) and numpy {@code .npy} (its {@code descr} strings). All data
 * is little-endian. BF16 has no numpy equivalent.
 */
public enum DType {
    F64(8, true, "<f8"),
    F32(4, true, "<f4"),
    F16(2, true, "<f2"),
    BF16(2, true, null),
    I64(8, false, "<i8"),
    I32(4, false, "<i4"),
    I16(2, false, "<i2"),
    I8(1, false, "|i1"),
    U64(8, false, "<u8"),
    U32(4, false, "<u4"),
    U16(2, false, "<u2"),
    U8(1, false, "|u1"),
    BOOL(1, false, "|b1");

    private final int size;
    private final boolean floating;
    private final String numpyDescr;

    DType(int size, boolean floating, String numpyDescr) {
        this.size = size;
        this.floating = floating;
        this.numpyDescr = numpyDescr;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The numpy {@code descr} string, or null when numpy has no such type (BF16). */
    public String numpyDescr() {
        return numpyDescr;
    }

    public boolean isUnsigned() {
        return this == U64 || this == U32 || this == U16 || this == U8 || this == BOOL;
    }

    /** The type named by a safetensors header, or null when unknown. */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type for a numpy descr ({@code <f4}, {@code |u1}, {@code =i8} ...), or null when unsupported. */
    public static DType fromNumpy(String descr) {
        if (descr.length() < 2) {
            return null;
        }
        char order = descr.charAt(0);
        String kind = descr.substring(1);
        for (DType t : values()) {
            if (t.numpyDescr == null || !t.numpyDescr.substring(1).equals(kind)) {
                continue;
            }
            boolean littleOrNative = order == '<' || order == '=' || order == '|';
            return littleOrNative && (t.size == 1 || order != '|') ? t : null;
        }
        return null;
    }
}
