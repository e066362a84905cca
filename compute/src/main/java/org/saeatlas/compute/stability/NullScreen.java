package org.saeatlas.compute.stability;

import java.util.Locale;

/**
 * Which p-value cut a matched null trial's pre-screen applies.
 *
 * <p>Benjamini-Hochberg at level q admits, in an observed trial with D discoveries, about q D chance pairs: its
 * threshold p* grows with the number of true discoveries. A null trial that runs BH on its own p-values has no true
 * discoveries, so its threshold is far stricter (often nothing passes), and the null then cannot reproduce the chance
 * pairs the observed screen let through: its FDR table reads zero at every r. Applying the observed trial's realised
 * p* to the matched null instead lets the null pass the chance pairs that threshold passes, with the same top-k and
 * co-firing floor, so they reach the nodewise regressions as the observed ones do.
 */
public enum NullScreen {
    /** Every null trial runs Benjamini-Hochberg on its own p-values (the published form). */
    OWN_BH,
    /** Every null trial applies the realised BH threshold p* of its matched observed trial. */
    MATCHED_THRESHOLD;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
