package org.saeatlas.compute.graphs;

import org.saeatlas.errors.AtlasException;

/**
 * Thresholds for shape types and limits for the costlier statistics.
 *
 * @param nearCliqueDensity    NEAR_CLIQUE when density &gt;= this [0.75]
 * @param hubCentralisation    else HUB_AND_SPOKE when Freeman degree centralisation &gt;= this [0.6]
 * @param chainScore           else CHAIN when diameter / (size - 1) &gt;= this ... [0.6]
 * @param chainMaxDegree       ... and the maximum degree is at most this [3]
 * @param exactDiameterLimit   exact diameter (BFS from every node) up to this many nodes, bounds above [2048]
 * @param diameterSweeps       double sweeps for the bounds [4]
 * @param nearDuplicateCosine  flag a group whose members' mean pairwise decoder cosine is &gt;= this [0.7]
 * @param maxCosinePairs       average the cosine over all member pairs up to this many, else over this many
 *                             pairs drawn at random [20000]
 * @param seed                 for the drawn pairs
 */
public record ShapeParameters(double nearCliqueDensity, double hubCentralisation, double chainScore,
                              int chainMaxDegree, int exactDiameterLimit, int diameterSweeps,
                              double nearDuplicateCosine, int maxCosinePairs, long seed) {

    public ShapeParameters {
        if (!(nearCliqueDensity > 0 && nearCliqueDensity <= 1) || !(hubCentralisation > 0 && hubCentralisation <= 1)
                || !(chainScore > 0 && chainScore <= 1)) {
            throw new AtlasException("shapes: density, centralisation and chain thresholds must be in (0, 1], found "
                    + nearCliqueDensity + ", " + hubCentralisation + ", " + chainScore);
        }
        if (chainMaxDegree < 2 || exactDiameterLimit < 0 || diameterSweeps < 1 || maxCosinePairs < 1) {
            throw new AtlasException("shapes: need chainMaxDegree >= 2, exactDiameterLimit >= 0, diameterSweeps >= 1"
                    + " and maxCosinePairs >= 1, found " + chainMaxDegree + ", " + exactDiameterLimit + ", "
                    + diameterSweeps + ", " + maxCosinePairs);
        }
    }

    public static ShapeParameters defaults() {
        return new ShapeParameters(0.75, 0.6, 0.6, 3, 2048, 4, 0.7, 20_000, 1L);
    }
}
