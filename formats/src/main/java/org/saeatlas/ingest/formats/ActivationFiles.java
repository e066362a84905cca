package org.saeatlas.ingest.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.saeatlas.compute.SparseActivations;

/**
 * One entry point for feature activations (rows = tokens, columns = features), whatever the user exported:
 * a scipy sparse {@code .npz}, a dense {@code .npy}, a delphi latent cache folder (root or hookpoint), an unsplit
 * delphi {@code .safetensors} (tensors {@code locations} and {@code activations}) or a {@code .safetensors} holding
 * dense activations: one 2-D float tensor {@code [tokens, features]} (F32, F16, BF16 or F64), named
 * {@code activations} or {@code acts} when the file holds several. Dispatches on the extension, then on content.
 */
public final class ActivationFiles {
    private ActivationFiles() {
    }

    /**
     * Activations with the token ids of their rows when the file has them (a delphi cache saved with
     * {@code tokens}): {@code tokens[t]} is row t's token id and rows are sequences of {@code contextLength} tokens;
     * else {@code tokens} is null.
     */
    public record Source(SparseActivations activations, int[] tokens, int contextLength) { }

    public static Source readSource(Path path) {
        if (Files.isDirectory(path)) {
            if (DelphiLatentCache.looksLikeCache(path)) {
                return of(DelphiLatentCache.read(path));
            }
            throw FormatError.of(path, "activation folder", "a delphi latent cache (<hookpoint>/<start>_<end>"
                    + ".safetensors)", "no such files");
        }
        if (!Files.isRegularFile(path)) {
            throw FormatError.of(path, "file", "to exist", "no such file");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            return new Source(ScipySparseNpz.read(path), null, 0);
        }
        if (name.endsWith(".npy")) {
            return new Source(NpyReader.readActivations(path), null, 0);
        }
        if (name.endsWith(".safetensors")) {
            return safetensors(path);
        }
        return new Source(bySignature(path), null, 0);
    }

    public static SparseActivations read(Path path) {
        return readSource(path).activations();
    }

    private static Source of(DelphiCache c) {
        return new Source(c.activations(), c.tokens(), c.contextLength());
    }

    /** A delphi cache file when it has {@code locations} and {@code activations}, else dense activations. */
    private static Source safetensors(Path path) {
        SafetensorsFile file = Safetensors.read(path);
        if (file.has("locations") && file.has("activations")) {
            return of(DelphiLatentCache.readUnsplit(path, file));
        }
        return new Source(NpyReader.denseToSparse(denseTensor(file)), null, 0);
    }

    /**
     * The one 2-D float tensor of {@code file}, or among several the one named {@code activations} or {@code acts};
     * fails naming every tensor found.
     */
    private static Tensor denseTensor(SafetensorsFile file) {
        List<Tensor> dense = file.tensors().values().stream()
                .filter(t -> t.rank() == 2 && t.dtype().isFloating()).toList();
        List<Tensor> named = dense.stream()
                .filter(t -> t.name().equals("activations") || t.name().equals("acts")).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty() && dense.size() == 1) {
            return dense.get(0);
        }
        String found = file.tensors().isEmpty() ? "no tensors" : file.tensors().values().stream()
                .map(t -> "'" + t.name() + "' " + t.dtype() + " " + Arrays.toString(t.shape()))
                .collect(Collectors.joining(", ", "tensors ", ""));
        throw FormatError.of(file.file(), "activation tensors", "a delphi latent cache (tensors 'locations' and "
                + "'activations') or one 2-D float tensor [tokens, features] (F32, F16, BF16 or F64; named "
                + "'activations' or 'acts' when there are several)", found);
    }

    private static SparseActivations bySignature(Path path) {
        byte[] head = new byte[6];
        try (var in = Files.newInputStream(path)) {
            head = java.util.Arrays.copyOf(head, Math.max(0, in.readNBytes(head, 0, 6)));
        } catch (java.io.IOException e) {
            throw FormatError.io(path, "read the activation file", e);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ScipySparseNpz.read(path);
        }
        if (head.length == 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U') {
            return NpyReader.readActivations(path);
        }
        throw FormatError.of(path, "activation file", "a scipy sparse .npz, a dense .npy, a delphi cache folder or "
                + "a .safetensors (delphi cache or one 2-D float tensor)", "'" + path.getFileName() + "'");
    }
}
