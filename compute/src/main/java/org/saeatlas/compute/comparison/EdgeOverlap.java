package org.saeatlas.compute.comparison;

import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.graphs.WeightedGraph;

/**
 * Edge overlap of two graphs under a node matching: both graphs are restricted to the matched nodes (A's nodes with
 * a partner, B's nodes that are a partner), A's edges are mapped through the matching, and the overlap is the Jaccard
 * index {@code |E_A' and E_B'| / |E_A' or E_B'|} of the two edge sets (0 when both are empty). Edges at unmatched
 * nodes cannot overlap and are left out of both sets, so the index measures agreement where agreement is possible.
 * O(m_A log d + m_B).
 *
 * @param edgesA   A's edges between matched nodes
 * @param edgesB   B's edges between matched nodes
 * @param shared   edges present in both after mapping
 * @param jaccard  shared / (edgesA + edgesB - shared)
 */
public record EdgeOverlap(long edgesA, long edgesB, long shared, double jaccard) {

    /** {@code bOfA[i]}: A's node i's partner in B, or -1; partners must be distinct. */
    public static EdgeOverlap of(WeightedGraph a, WeightedGraph b, int[] bOfA) {
        if (bOfA.length != a.nodes()) {
            throw new AtlasException("edge overlap: matching covers " + bOfA.length + " nodes but graph A has "
                    + a.nodes());
        }
        boolean[] isPartner = new boolean[b.nodes()];
        for (int i = 0; i < bOfA.length; i++) {
            int j = bOfA[i];
            if (j < -1 || j >= b.nodes() || j >= 0 && isPartner[j]) {
                throw new AtlasException("edge overlap: node " + i + " of A is matched to " + j
                        + " (expected -1 or a node of B not used twice, in [0, " + b.nodes() + "))");
            }
            if (j >= 0) {
                isPartner[j] = true;
            }
        }
        long ea = 0;
        long shared = 0;
        WeightedGraph.Edges edges = a.edges();
        for (int e = 0; e < edges.size(); e++) {
            int x = bOfA[edges.u()[e]];
            int y = bOfA[edges.v()[e]];
            if (x >= 0 && y >= 0) {
                ea++;
                shared += b.hasEdge(x, y) ? 1 : 0;
            }
        }
        long eb = 0;
        WeightedGraph.Edges eB = b.edges();
        for (int e = 0; e < eB.size(); e++) {
            eb += isPartner[eB.u()[e]] && isPartner[eB.v()[e]] ? 1 : 0;
        }
        long union = ea + eb - shared;
        return new EdgeOverlap(ea, eb, shared, union == 0 ? 0 : shared / (double) union);
    }
}
