package org.saeatlas.compute.stability;

import java.util.Locale;

/** How the two directed nodewise selections of a pair make one undirected edge in a trial. */
public enum MergeRule {
    /** Both i selects j and j selects i (published default). */
    AND,
    /** Either direction suffices. */
    OR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
