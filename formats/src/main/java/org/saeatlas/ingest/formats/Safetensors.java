package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * {@code {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}}}, then the data
 * section; offsets are relative to its start. The reader accepts any header length (2022 writers did not pad to 8
 * bytes) and insists, like the reference Rust implementation, that the tensors tile the data section exactly: no
 * gap, no overlap, no trailing bytes, each tensor's byte length equal to its shape times its dtype size. Tensors are
 * memory-mapped one by one, so files beyond 2 GiB are fine as long as each tensor is below 2 GiB.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    public static SafetensorsFile read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (IOException e) {
            throw FormatError.io(file, "read the safetensors file", e);
        }
    }

    private static SafetensorsFile read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw FormatError.of(file, "header length", "8 bytes", size + " bytes; the file is truncated");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(len, 0);
        long n = len.getLong(0);
        if (n < 2 || n > MAX_HEADER || 8 + n > size) {
            throw FormatError.of(file, "header length", "between 2 and min(100 MiB, file size - 8 = "
                    + (size - 8) + ")", Long.toUnsignedString(n) + (8 + n > size ? "; the file is truncated or not "
                    + "safetensors" : ""));
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        ch.read(hb, 8);
        JsonNode header = parseHeader(file, new String(hb.array(), StandardCharsets.UTF_8));
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        Map<String, String> metadata = metadata(file, header.get("__metadata__"));
        List<Entry> entries = entries(file, header);
        checkTiling(file, entries, dataSize);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            long bytes = e.end - e.begin;
            if (bytes > Integer.MAX_VALUE) {
                throw FormatError.of(file, "tensor '" + e.name + "'", "below 2 GiB to load", bytes + " bytes");
            }
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, bytes);
            tensors.put(e.name, new Tensor(file.toString(), e.name, e.dtype, e.shape, data));
        }
        return new SafetensorsFile(file, metadata, tensors);
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static JsonNode parseHeader(Path file, String text) {
        try {
            JsonNode h = JSON.readTree(text);
            if (h == null || !h.isObject()) {
                throw FormatError.of(file, "header", "a JSON object", h == null ? "nothing" : h.getNodeType());
            }
            return h;
        } catch (JsonProcessingException e) {
            throw FormatError.of(file, "header", "valid JSON", "a parse error: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> metadata(Path file, JsonNode meta) {
        Map<String, String> out = new LinkedHashMap<>();
        if (meta == null || meta.isNull()) {
            return out;
        }
        if (!meta.isObject()) {
            throw FormatError.of(file, "__metadata__", "an object of strings", meta.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw FormatError.of(file, "__metadata__." + f.getKey(), "a string", f.getValue());
            }
            out.put(f.getKey(), f.getValue().asText());
        }
        return out;
    }

    private static List<Entry> entries(Path file, JsonNode header) {
        List<Entry> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("__metadata__")) {
                out.add(entry(file, f.getKey(), f.getValue()));
            }
        }
        out.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode info) {
        String field = "header tensor '" + name + "'";
        if (!info.isObject()) {
            throw FormatError.of(file, field, "an object with dtype, shape, data_offsets", info);
        }
        JsonNode dt = info.get("dtype");
        DType dtype = dt == null || !dt.isTextual() ? null : DType.fromSafetensors(dt.asText());
        if (dtype == null) {
            throw FormatError.of(file, field + " dtype", "one of " + Arrays.toString(DType.values()), dt);
        }
        long[] shape = longs(file, field + " shape", info.get("shape"), -1);
        long[] off = longs(file, field + " data_offsets", info.get("data_offsets"), 2);
        long numel = 1;
        for (long d : shape) {
            numel = Math.multiplyExact(numel, d);
        }
        long want = Math.multiplyExact(numel, (long) dtype.size());
        if (off[1] < off[0] || off[1] - off[0] != want) {
            throw FormatError.of(file, field + " data_offsets", want + " bytes for " + dtype + " "
                    + Arrays.toString(shape), Arrays.toString(off));
        }
        return new Entry(name, dtype, shape, off[0], off[1]);
    }

    private static long[] longs(Path file, String field, JsonNode node, int length) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw FormatError.of(file, field, length >= 0 ? "an array of " + length + " integers"
                    : "an array of integers", node);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw FormatError.of(file, field, "non-negative integers", node);
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static void checkTiling(Path file, List<Entry> entries, long dataSize) {
        long at = 0;
        for (Entry e : entries) {
            if (e.begin != at) {
                throw FormatError.of(file, "header tensor '" + e.name + "' data_offsets",
                        "to begin at byte " + at + " (tensors tile the data section with no gap or overlap)",
                        "[" + e.begin + ", " + e.end + "]");
            }
            at = e.end;
        }
        if (at != dataSize) {
            throw FormatError.of(file, "data section", at + " bytes (the end of the last tensor)",
                    dataSize + " bytes" + (dataSize < at ? "; the file is truncated" : " (trailing bytes)"));
        }
    }

    /**
     * Writes {@code tensors} in the given order with {@code metadata} (omitted when empty), the header padded with
     * spaces to a multiple of 8 bytes as current writers do. Written atomically.
     */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) {
        byte[] header = header(file, metadata, tensors);
        AtomicWrite.write(file, out -> {
            byte[] len = new byte[8];
            ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len);
            out.write(header);
            for (Tensor t : tensors) {
                NpyWriter.writeData(out, t);
            }
        });
    }

    private static byte[] header(Path file, Map<String, String> metadata, List<Tensor> tensors) {
        ObjectNode h = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = h.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long at = 0;
        for (Tensor t : tensors) {
            if (t.name().equals("__metadata__") || h.has(t.name())) {
                throw FormatError.of(file, "tensor name", "unique names other than __metadata__", t.name());
            }
            ObjectNode e = h.putObject(t.name());
            e.put("dtype", t.dtype().name());
            ArrayNode shape = e.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = t.data().remaining();
            e.putArray("data_offsets").add(at).add(at + bytes);
            at += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(h);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
