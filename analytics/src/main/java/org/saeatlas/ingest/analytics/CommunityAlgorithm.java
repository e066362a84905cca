package org.saeatlas.ingest.analytics;

import java.util.Locale;

/** Community detection of GDS used by {@code atlas analyse}. */
public enum CommunityAlgorithm {
    /**
     * Leiden (Traag, Waltman &amp; van Eck 2019, "From Louvain to Leiden: guaranteeing well-connected communities",
     * Sci. Rep. 9): Louvain plus a refinement phase, so communities are connected; seeded.
     */
    LEIDEN,
    /** Louvain (Blondel et al. 2008, J. Stat. Mech. P10008): greedy modularity, as an option; GDS takes no seed. */
    LOUVAIN;

    public String gdsName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
