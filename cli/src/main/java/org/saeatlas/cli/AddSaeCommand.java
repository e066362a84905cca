package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.ingest.AddSae;
import org.saeatlas.ingest.SaeLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "add-sae", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add an SAE from what is known about it, without activations: a SAELens cfg.json (weights"
            + " optional), a checkpoint, or flags; with explanations, examples and decoder weights if you have them."
            + " Statistics that need activations (firing rate, mean and max activation, histogram) stay absent, not"
            + " zero; decoder weights give the decoder-cosine graph. A later `./atlas build` of the same --sae with"
            + " activations fills the statistics in.",
            "Example: ./atlas add-sae --model gpt2-small --sae 8-res-jb --layer 8 --hook blocks.8.hook_resid_pre"
                + " --width 24576 --d-in 768 --explanations gpt2-small-8-res-jb.jsonl.gz",
            "Example: ./atlas add-sae --sae mamba-l12 --layer 12 --saelens path/to/saelens-run/"})
class AddSaeCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "ID", description = "Model id (default: the cfg's model name).")
    String model;

    @Option(names = "--sae", required = true, paramLabel = "ID", description = "SAE id, unique in the atlas.")
    String sae;

    @Option(names = "--layer", paramLabel = "L", description = "Layer of the SAE.")
    Integer layer;

    @Option(names = "--hook", paramLabel = "NAME", description = "Hook point (default: the cfg's hook name).")
    String hook;

    @Option(names = "--width", paramLabel = "D_SAE", description = "Number of features (default: from the cfg or"
            + " weights).")
    Integer width;

    @Option(names = "--d-in", paramLabel = "D_IN", description = "Input dimension (default: from the cfg or weights).")
    Integer dIn;

    @Option(names = "--release", paramLabel = "NAME", description = "SAE release (e.g. gpt2-small-res-jb).")
    String release;

    @Option(names = "--architecture", paramLabel = "NAME", description = "standard, jumprelu, topk, ... (default:"
            + " from the cfg or weights).")
    String architecture;

    @Option(names = "--sae-seed", paramLabel = "S", description = "Training seed of the SAE, if known.")
    Integer seed;

    @Mixin
    SaeFilesOptions files;

    @Mixin
    DatabaseOptions database;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        AddSae.Request request = new AddSae.Request(model, sae, layer, hook, width, dIn, release, architecture, seed,
                files.saelens, files.saeWeights, files.explanations, files.examples, files.vocab);
        AddSae.Result r = new AddSae(database.target(), database.data, System.out).add(request,
                threads -> device.engine(database.data, threads));
        System.out.printf(Locale.ROOT, "SAE %s is in the atlas: %,d features, %,d explanations, %,d examples, %s;"
                        + " no activations (statistics absent until `./atlas build --sae %s --activations ...`)%n",
                r.sae(), r.features(), r.explanations(), r.examples(),
                r.decoder() ? "decoder cosine top-" + SaeLoader.COSINE_TOP_K : "no decoder weights", r.sae());
        return 0;
    }
}
