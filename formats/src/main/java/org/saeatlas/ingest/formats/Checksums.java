package org.saeatlas.ingest.formats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.saeatlas.compute.SparseActivations;

/** SHA-256 checksums that identify inputs and runs by content. */
public final class Checksums {

    private Checksums() {
    }

    /** Of the matrix content (shape, structure and values, little-endian), independent of where it was read from. */
    public static String of(SparseActivations x) {
        MessageDigest md = sha256();
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(x.tokens()).putInt(x.featureCount());
        md.update(head.array());
        md.update(ints(x.rowPtr()));
        md.update(ints(x.features()));
        ByteBuffer v = ByteBuffer.allocate(4 * x.nnz()).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : x.values()) {
            v.putFloat(f);
        }
        md.update(v.array());
        return HexFormat.of().formatHex(md.digest());
    }

    /** Of float values (little-endian float32), e.g. a decoder matrix, with a label saying what they are. */
    public static String ofFloats(String label, float[] values) {
        MessageDigest md = sha256();
        md.update(label.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        ByteBuffer v = ByteBuffer.allocate(4 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            if (!v.hasRemaining()) {
                md.update(v.array(), 0, v.position());
                v.clear();
            }
            v.putFloat(f);
        }
        md.update(v.array(), 0, v.position());
        return HexFormat.of().formatHex(md.digest());
    }

    public static String of(String... parts) {
        MessageDigest md = sha256();
        for (String p : parts) {
            md.update(p.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] ints(int[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : a) {
            b.putInt(i);
        }
        return b.array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
