package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The files one SAE is described by, the same for {@code build --sae} and {@code add-sae}: its weights (a SAELens
 * folder or a checkpoint), explanations, activating examples and the vocabulary that spells token ids.
 */
public class SaeFilesOptions {

    @Option(names = "--saelens", paramLabel = "DIR", description = "SAELens folder: cfg.json (metadata), with"
            + " sae_weights.safetensors (decoder cosine; needed to encode --residuals) and sparsity.safetensors (the"
            + " firing rates measured during training, kept apart from activation statistics) if you have them.")
    Path saelens;

    @Option(names = "--sae-weights", paramLabel = "PATH", description = "Instead of --saelens: SAE weights as"
            + " saved, format detected: a SAELens or EleutherAI sparsify folder, a .safetensors file, or a PyTorch"
            + " .pt/.pth state dict (dictionary_learning, torch.save(sae.state_dict())), read without Python.")
    Path saeWeights;

    @Option(names = "--explanations", paramLabel = "PATH", arity = "1..*",
            description = "Explanations: a Neuronpedia export folder or batch, a delphi explanations folder, .csv or .jsonl (feature, text, source).")
    List<Path> explanations = new ArrayList<>();

    @Option(names = "--examples", paramLabel = "PATH", arity = "1..*",
            description = "Activating examples: a Neuronpedia export or activations folder, or one of its"
                    + " batch-N.jsonl.gz; a folder of SAEDashboard batch files (batch-0.json, batch-1.json, ...),"
                    + " or one SAEDashboard batch .json; an sae_vis export (token ids: with --vocab); a"
                    + " feature_circuits top-context dump (FILE#<submodule>_<layer> when it mixes dictionaries).")
    List<Path> examples = new ArrayList<>();

    @Option(names = "--vocab", paramLabel = "TOKENIZER_JSON", description = "A Hugging Face tokenizer.json, or a JSON"
            + " list of token strings or {id: string} / {string: id} map (e.g. a character model): spells examples"
            + " stored as token ids (sae_vis); with build, a delphi cache saved with tokens (or --tokens) also turns"
            + " each feature's top activating windows into its examples.")
    Path vocab;
}
