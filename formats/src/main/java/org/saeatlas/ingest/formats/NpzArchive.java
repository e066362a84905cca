package org.saeatlas.ingest.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads every {@code <key>.npy} member of a numpy {@code .npz} (a zip, stored or deflated, zip64 as numpy writes it),
 * checking each member's size and CRC so a damaged archive fails loudly instead of yielding wrong numbers.
 */
public final class NpzArchive {
    private NpzArchive() {
    }

    /**
     * The members of one archive by key (the member name without {@code .npy}), in archive order: numeric arrays in
     * {@code arrays}, scalar strings ({@code |Sn}, {@code <Un}) in {@code texts}.
     */
    public record Contents(Map<String, Tensor> arrays, Map<String, String> texts) {
        public Contents {
            arrays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
            texts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        }

        /** Every key, arrays first. */
        public java.util.Set<String> keys() {
            java.util.Set<String> k = new java.util.LinkedHashSet<>(arrays.keySet());
            k.addAll(texts.keySet());
            return k;
        }
    }

    public static Contents read(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                ByteBuffer bytes = ByteBuffer.wrap(member(file, zip, e));
                String source = file + " member " + e.getName();
                if (NpyReader.isText(NpyReader.header(source, bytes).descr())) {
                    texts.put(key, NpyReader.parseText(source, bytes));
                } else {
                    out.put(key, NpyReader.parse(source, key, bytes));
                }
            }
        } catch (ZipException e) {
            throw FormatError.of(file, "zip structure", "a complete .npz (zip) archive",
                    "a damaged or truncated zip (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw FormatError.io(file, "read the .npz archive", e);
        }
        return new Contents(out, texts);
    }

    private static byte[] member(Path file, ZipFile zip, ZipEntry e) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        } catch (ZipException | java.io.EOFException ex) {
            throw FormatError.of(file, "member " + e.getName(), "a complete zip member",
                    "a damaged or truncated member (" + ex.getMessage() + ")");
        }
        if (e.getSize() >= 0 && bytes.length != e.getSize()) {
            throw FormatError.of(file, "member " + e.getName(), e.getSize() + " bytes", bytes.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
            throw FormatError.of(file, "member " + e.getName() + " CRC-32", Long.toHexString(e.getCrc()),
                    Long.toHexString(crc.getValue()) + "; the archive is corrupt");
        }
        return bytes;
    }
}
