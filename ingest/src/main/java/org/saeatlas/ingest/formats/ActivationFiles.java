package org.saeatlas.ingest.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.saeatlas.compute.SparseActivations;

/**
 * One entry point for feature activations (rows = tokens, columns = features), whatever the user exported:
 * a scipy sparse {@code .npz}, a dense {@code .npy}, a delphi latent cache folder (root or hookpoint) or an unsplit
 * delphi {@code .safetensors}. Dispatches on the extension, then on content.
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
            return of(DelphiLatentCache.readUnsplit(path));
        }
        return new Source(bySignature(path), null, 0);
    }

    public static SparseActivations read(Path path) {
        return readSource(path).activations();
    }

    private static Source of(DelphiCache c) {
        return new Source(c.activations(), c.tokens(), c.contextLength());
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
                + "an unsplit delphi .safetensors", "'" + path.getFileName() + "'");
    }
}
