package org.saeatlas.ingest.formats;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The token ids behind a set of activations, as a Python pipeline saves them: an integer array of shape
 * {@code [n_seq, ctx]} in a {@code .npy}, or the {@code tokens} tensor of a {@code .safetensors} file (the layout of
 * a delphi cache and of TransformerLens/SAELens token batches). Row {@code t} of the activations is token
 * {@code t = sequence * ctx + position}.
 */
public final class TokenIds {
    private TokenIds() {
    }

    /** Reads the ids and checks they cover exactly {@code rows} activation rows. */
    public static ActivationFiles.Source attach(Path file, org.saeatlas.compute.SparseActivations x) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Tensor t;
        if (name.endsWith(".safetensors")) {
            SafetensorsFile st = Safetensors.read(file);
            if (!st.has("tokens")) {
                throw FormatError.of(file, "tensor 'tokens'", "token ids [n_seq, ctx]", "tensors " + st.tensors().keySet());
            }
            t = st.tensor("tokens");
        } else if (name.endsWith(".npy")) {
            t = NpyReader.read(file);
        } else {
            throw FormatError.of(file, "token file", "a .npy or .safetensors (tensor 'tokens') of integer ids", name);
        }
        t.requireRank(2, "[n_seq, ctx]");
        if (t.dtype().isFloating()) {
            throw FormatError.of(file, "tensor '" + t.name() + "' dtype", "an integer type (token ids)", t.dtype());
        }
        if (t.numel() != x.tokens()) {
            throw FormatError.of(file, "tensor '" + t.name() + "' shape", "n_seq x ctx = " + x.tokens()
                    + " token ids, one per activation row", java.util.Arrays.toString(t.shape()) + " = " + t.numel());
        }
        return new ActivationFiles.Source(x, t.ints(), (int) t.shape()[1]);
    }
}
