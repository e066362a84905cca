package org.saeatlas.cli;

import java.util.Locale;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.formats.SaeCheckpoints;

/** Says what a checkpoint was read as, so a user can see the mapping the atlas chose. */
final class Checkpoints {

    private Checkpoints() {
    }

    static SaeWeights describe(SaeCheckpoints.Checkpoint c) {
        SaeWeights w = c.weights();
        System.out.printf(Locale.ROOT, "SAE weights read as %s: %s, d_in=%d, d_sae=%d%s%s, b_dec %s from the input%n",
                c.format(), c.architecture(), w.dIn(), w.dSae(), w.k() != null ? ", k=" + w.k() : "",
                c.facts().containsKey("threshold") ? ", threshold " + c.facts().get("threshold") + " for every feature"
                        : "", w.applyBDecToInput() ? "subtracted" : "not subtracted");
        if (c.facts().containsKey("ignoredTensors")) {
            System.out.println("  not used: " + c.facts().get("ignoredTensors"));
        }
        return w;
    }
}
