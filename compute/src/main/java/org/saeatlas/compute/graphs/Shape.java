package org.saeatlas.compute.graphs;

/**
 * Shape statistics of one group of nodes (a component or community), over the subgraph it induces.
 *
 * @param size            nodes
 * @param edges           edges inside the group
 * @param density         2 edges / (size (size - 1)); 0 below 2 nodes
 * @param maxDegree       largest degree inside the group
 * @param meanDegree      2 edges / size
 * @param centralisation  Freeman degree centralisation, sum over v of (maxDegree - deg v) / ((size - 1)(size - 2)):
 *                        1 for a star, 0 for a regular graph; 0 below 3 nodes
 * @param clustering      average local clustering coefficient (Watts-Strogatz), nodes of degree &lt; 2 counted as 0
 * @param diameter        longest shortest path in hops (lower bound when not exact)
 * @param diameterUpper   upper bound of the diameter (equal to {@code diameter} when exact)
 * @param diameterExact   whether the diameter is exact (see {@link Diameter})
 * @param chainScore      diameter / (size - 1): 1 for a path; 0 below 2 nodes
 * @param type            the shape type
 * @param reason          the comparison that decided the type, e.g. "density 1.000 >= 0.75"
 * @param meanCosine      mean pairwise decoder cosine of the members (NaN when not given or below 2 nodes)
 * @param cosinePairs     pairs averaged; fewer than size(size-1)/2 means they were drawn at random
 * @param nearDuplicate   mean cosine at least the near-duplicate threshold
 */
public record Shape(int size, long edges, double density, int maxDegree, double meanDegree, double centralisation,
                    double clustering, int diameter, int diameterUpper, boolean diameterExact, double chainScore,
                    ShapeType type, String reason, double meanCosine, long cosinePairs, boolean nearDuplicate) { }
