package org.saeatlas.ingest;

import java.io.PrintStream;
import java.util.Locale;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.formats.SaeCheckpoints;

/** Says what a checkpoint was read as, so a user can see the mapping the atlas chose. */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** The weights of {@code c}, after printing to {@code out} what they were read as. */
    public static SaeWeights describe(SaeCheckpoints.Checkpoint c, PrintStream out) {
        SaeWeights w = c.weights();
        out.printf(Locale.ROOT, "SAE weights read as %s: %s, d_in=%d, d_sae=%d%s%s, b_dec %s from the input%n",
                c.format(), c.architecture(), w.dIn(), w.dSae(), w.k() != null ? ", k=" + w.k() : "",
                c.facts().containsKey("threshold") ? ", threshold " + c.facts().get("threshold") + " for every feature"
                        : "", w.applyBDecToInput() ? "subtracted" : "not subtracted");
        if (c.facts().containsKey("ignoredTensors")) {
            out.println("  not used: " + c.facts().get("ignoredTensors"));
        }
        return w;
    }
}
