package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a delphi (EleutherAI autointerp) latent cache: {@code <dir>/<hookpoint>/<start>_<end>.safetensors}, one file
 * per slice of latents {@code start..end} (inclusive), each with {@code locations [N, 3]} = (sequence, position,
 * latent - start) stored uint16 or uint32, {@code activations [N]} float16 and optionally {@code tokens [n_seq, ctx]};
 * plus {@code config.json} ({@code ctx_len} or, in newer versions, {@code cache_ctx_len}; {@code n_tokens};
 * {@code model_name}). Older split files with signed int64/int32 locations hold absolute latent indices. An unsplit
 * {@code <hookpoint>.safetensors} (int64 locations, float32 activations) is read by {@link #readUnsplit(Path)}.
 *
 * <p>The feature count is the largest {@code end} + 1. Token rows are {@code sequence * ctx + position}; ctx comes
 * from {@code tokens} when saved, else from the config.
 */
public final class DelphiLatentCache {
    private static final Pattern SPLIT = Pattern.compile("(\\d+)_(\\d+)\\.safetensors");

    private DelphiLatentCache() {
    }

    /**
     * Reads {@code dir}: either a hookpoint folder of split files, or a cache root holding exactly one such folder
     * (else use {@link #read(Path, String)}).
     */
    public static DelphiCache read(Path dir) {
        if (!splitFiles(dir).isEmpty()) {
            return readHookpoint(dir, dir.getFileName().toString());
        }
        List<Path> hooks = hookpointDirs(dir);
        if (hooks.size() != 1) {
            throw FormatError.of(dir, "delphi cache", "one hookpoint folder of <start>_<end>.safetensors files "
                    + "(or name one with read(dir, hookpoint))", hooks.isEmpty() ? "none"
                    : hooks.size() + " hookpoints " + hooks.stream().map(p -> p.getFileName().toString()).toList());
        }
        return readHookpoint(hooks.get(0), hooks.get(0).getFileName().toString());
    }

    public static DelphiCache read(Path root, String hookpoint) {
        Path hook = root.resolve(hookpoint);
        if (!Files.isDirectory(hook)) {
            throw FormatError.of(root, "hookpoint '" + hookpoint + "'", "a folder", "none; hookpoints here: "
                    + hookpointDirs(root).stream().map(p -> p.getFileName().toString()).toList());
        }
        return readHookpoint(hook, hookpoint);
    }

    /** Reads an unsplit {@code <hookpoint>.safetensors} with absolute int64 locations and float32 activations. */
    public static DelphiCache readUnsplit(Path file) {
        return readUnsplit(file, Safetensors.read(file));
    }

    /** {@link #readUnsplit(Path)} for a file already parsed. */
    static DelphiCache readUnsplit(Path file, SafetensorsFile tensors) {
        String hookpoint = NpyReader.stem(file);
        Map<String, Object> config = config(file.toAbsolutePath().getParent(), null);
        Shard s = shard(tensors, 0, Long.MAX_VALUE, false);
        long features = Math.max(0, s.maxLatent + 1);
        return assemble(file, hookpoint, List.of(s), features, config);
    }

    static boolean looksLikeCache(Path dir) {
        return Files.isDirectory(dir) && (!splitFiles(dir).isEmpty() || !hookpointDirs(dir).isEmpty());
    }

    private static DelphiCache readHookpoint(Path hookDir, String hookpoint) {
        List<Path> files = splitFiles(hookDir);
        if (files.isEmpty()) {
            throw FormatError.of(hookDir, "split files", "<start>_<end>.safetensors files", "none");
        }
        Map<String, Object> config = config(hookDir, hookDir.toAbsolutePath().getParent());
        List<Shard> shards = new ArrayList<>();
        long features = 0;
        for (Path f : files) {
            Matcher m = SPLIT.matcher(f.getFileName().toString());
            m.matches();
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            if (end < start) {
                throw FormatError.of(f, "file name", "<start>_<end> with start <= end", f.getFileName());
            }
            shards.add(shard(Safetensors.read(f), start, end, true));
            features = Math.max(features, end + 1);
        }
        return assemble(hookDir, hookpoint, shards, features, config);
    }

    private record Shard(Path file, long[] seq, long[] pos, long[] latent, float[] act, Tensor tokens,
            long maxLatent) {
    }

    private static Shard shard(SafetensorsFile st, long start, long end, boolean split) {
        Tensor locT = st.tensor("locations").requireRank(2, "[N, 3] (sequence, position, latent)");
        long n = locT.shape()[0];
        locT.requireShape("[N, 3] (sequence, position, latent)", n, 3);
        if (split) {
            locT.requireDtype(DType.U16, DType.U32, DType.I64, DType.I32);
        } else {
            locT.requireDtype(DType.I64, DType.I32, DType.U32, DType.U16);
        }
        Tensor actT = st.tensor("activations").requireShape("[N], one per location", n);
        float[] act = ScipySparseNpz.activationValues(st.file(), actT);
        long offset = split && locT.dtype().isUnsigned() ? start : 0;
        long[] loc = locT.longs();
        int count = (int) n;
        long[] seq = new long[count];
        long[] pos = new long[count];
        long[] lat = new long[count];
        long max = -1;
        for (int i = 0; i < count; i++) {
            seq[i] = loc[3 * i];
            pos[i] = loc[3 * i + 1];
            lat[i] = loc[3 * i + 2] + offset;
            if (seq[i] < 0 || pos[i] < 0 || lat[i] < start || lat[i] > end) {
                throw FormatError.of(st.file(), "tensor 'locations' row " + i, "(sequence >= 0, position >= 0, "
                        + "latent in [" + start + ", " + end + "]" + (offset > 0 ? " after adding the file's start "
                        + start : "") + ")", "(" + loc[3 * i] + ", " + loc[3 * i + 1] + ", " + loc[3 * i + 2] + ")");
            }
            max = Math.max(max, lat[i]);
        }
        Tensor tokens = st.has("tokens") ? st.tensor("tokens").requireRank(2, "[n_seq, ctx]") : null;
        return new Shard(st.file(), seq, pos, lat, act, tokens, max);
    }

    private static DelphiCache assemble(Path where, String hookpoint, List<Shard> shards, long features,
            Map<String, Object> config) {
        Tensor tokensT = null;
        for (Shard s : shards) {
            if (s.tokens == null) {
                continue;
            }
            if (tokensT == null) {
                tokensT = s.tokens;
            } else if (!Arrays.equals(tokensT.shape(), s.tokens.shape()) || !tokensT.data().equals(s.tokens.data())) {
                throw FormatError.of(s.file, "tensor 'tokens'", "the same tokens as " + tokensT.source() + " "
                        + Arrays.toString(tokensT.shape()), "different tokens " + Arrays.toString(s.tokens.shape()));
            }
        }
        long maxSeq = -1;
        long maxPos = -1;
        for (Shard s : shards) {
            for (int i = 0; i < s.seq.length; i++) {
                maxSeq = Math.max(maxSeq, s.seq[i]);
                maxPos = Math.max(maxPos, s.pos[i]);
            }
        }
        long ctx;
        long nSeq;
        if (tokensT != null) {
            nSeq = tokensT.shape()[0];
            ctx = tokensT.shape()[1];
        } else {
            Long c = configInt(where, config, "cache_ctx_len", "ctx_len");
            if (c == null || c <= 0) {
                throw FormatError.of(where, "context length", "a 'tokens' tensor or config.json 'ctx_len'/"
                        + "'cache_ctx_len'", "neither");
            }
            ctx = c;
            Long nTok = configInt(where, config, "n_tokens");
            nSeq = Math.max(maxSeq + 1, nTok == null ? 0 : nTok / ctx);
        }
        if (maxSeq >= nSeq || maxPos >= ctx) {
            Shard bad = shards.stream().filter(s -> Arrays.stream(s.seq).anyMatch(v -> v >= nSeq)
                    || Arrays.stream(s.pos).anyMatch(v -> v >= ctx)).findFirst().orElse(shards.get(0));
            throw FormatError.of(bad.file, "tensor 'locations'", "sequence < " + nSeq + " and position < " + ctx
                    + " (the tokens' shape)", "sequence up to " + maxSeq + ", position up to " + maxPos);
        }
        if (nSeq * ctx >= Integer.MAX_VALUE || features >= Integer.MAX_VALUE) {
            throw FormatError.of(where, "size", "fewer than 2^31 token rows and features", nSeq * ctx
                    + " token rows, " + features + " features");
        }
        int total = shards.stream().mapToInt(s -> s.act.length).sum();
        int[] rows = new int[total];
        int[] cols = new int[total];
        float[] vals = new float[total];
        int k = 0;
        for (Shard s : shards) {
            for (int i = 0; i < s.act.length; i++, k++) {
                rows[k] = (int) (s.seq[i] * ctx + s.pos[i]);
                cols[k] = (int) s.latent[i];
                vals[k] = s.act[i];
            }
        }
        var acts = Triplets.toCsr(new long[] {nSeq * ctx, features}, rows, cols, vals);
        int[] tokens = tokensT == null ? null : tokensT.ints();
        Object model = config.get("model_name");
        return new DelphiCache(hookpoint, acts, (int) nSeq, (int) ctx, tokens, config,
                model == null ? null : model.toString());
    }

    private static Long configInt(Path where, Map<String, Object> config, String... keys) {
        for (String key : keys) {
            Object v = config.get(key);
            if (v instanceof Number num) {
                return num.longValue();
            }
            if (v != null) {
                throw FormatError.of(where, "config.json '" + key + "'", "an integer", v);
            }
        }
        return null;
    }

    private static Map<String, Object> config(Path hookDir, Path parent) {
        for (Path dir : parent == null ? List.of(hookDir) : List.of(hookDir, parent)) {
            Path f = dir.resolve("config.json");
            if (Files.isRegularFile(f)) {
                JsonNode n = Json.readObject(f);
                return Json.MAPPER.convertValue(n, new TypeReference<Map<String, Object>>() { });
            }
        }
        return Map.of();
    }

    private static List<Path> splitFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> SPLIT.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong((Path p) -> start(p)).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw FormatError.io(dir, "list the delphi cache folder", e);
        }
    }

    private static long start(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(0, n.indexOf('_')));
    }

    private static List<Path> hookpointDirs(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> !splitFiles(p).isEmpty()).sorted().toList();
        } catch (IOException e) {
            throw FormatError.io(root, "list the delphi cache folder", e);
        }
    }
}
