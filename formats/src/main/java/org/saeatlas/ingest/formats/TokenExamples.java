package org.saeatlas.ingest.formats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.stats.TopExamples;

/**
 * Activating examples made from the activations themselves: each feature's top windows
 * ({@link TopExamples}) with their token ids turned into text by a tokenizer vocabulary. This is how a delphi cache
 * saved with {@code tokens} gets examples without a Neuronpedia export.
 */
public final class TokenExamples {
    private TokenExamples() {
    }

    /** Examples in rank order per feature; {@code source} names the activations for errors. */
    public static List<ActivatingExample> of(Path source, ActivationFiles.Source acts, TokenizerVocab vocab,
                                             int perFeature, int before, int after) {
        if (acts.tokens() == null) {
            throw FormatError.of(source, "tensor 'tokens'", "token ids to make examples from (a delphi cache saved"
                    + " with tokens)", "none");
        }
        List<ActivatingExample> out = new ArrayList<>();
        for (TopExamples.Example e : TopExamples.of(acts.activations(), acts.contextLength(), perFeature, before, after)) {
            int[] ids = Arrays.copyOfRange(acts.tokens(), e.start(), e.end());
            for (int id : ids) {
                if (id < 0 || id >= vocab.size()) {
                    throw FormatError.of(source, "tensor 'tokens'", "ids in the vocabulary [0, " + vocab.size() + ")",
                            id);
                }
            }
            out.add(new ActivatingExample(e.feature(), vocab.texts(ids), e.values()));
        }
        return out;
    }
}
