package org.saeatlas.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory run projection on hand-made edges: order, deduplication, filters and typed columns. */
class RunProjectionTest {

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], kv[k + 1]);
        }
        return m;
    }

    /**
     * s/0 - s/1 (w 0.5, 10 replicates, stable), s/0 - s/2 (w -0.9, 3), s/3 - s/0 (w 0.5, 30, stable),
     * s/2 - s/3 (w 0.2), s/1 - s/2 (no weight).
     */
    private static RunProjection dependence() {
        RunProjection.Builder b = new RunProjection.Builder();
        b.add("s/0", "s/1", props("run", "r", "weight", 0.5, "replicates", 10L, "stable", true));
        b.add("s/0", "s/2", props("run", "r", "weight", -0.9, "replicates", 3L, "stable", false));
        b.add("s/3", "s/0", props("run", "r", "weight", 0.5, "replicates", 30L, "stable", true));
        b.add("s/2", "s/3", props("run", "r", "weight", 0.2, "replicates", 12L, "stable", true));
        b.add("s/1", "s/2", props("run", "r", "replicates", 1L));
        return b.build("r", 2, "at");
    }

    private static List<String> neighbourIds(List<RunProjection.Neighbour> ns) {
        return ns.stream().map(RunProjection.Neighbour::feature).toList();
    }

    @Test
    void neighboursComeStrongestFirstWithTiesByIdAndFiltersApplied() {
        RunProjection p = dependence();
        assertEquals(5, p.edgeCount());
        assertEquals(4, p.nodeCount());
        assertEquals(2, p.revision());
        // |-0.9| > 0.5 = 0.5 (tie: s/1 before s/3)
        assertEquals(List.of("s/2", "s/1", "s/3"), neighbourIds(p.neighbours("s/0", q(null, null, null, 10))));
        assertEquals(List.of("s/2", "s/1"), neighbourIds(p.neighbours("s/0", q(null, null, null, 2))));
        assertEquals(List.of("s/1", "s/3"), neighbourIds(p.neighbours("s/0", q(10, null, null, 10))));
        assertEquals(List.of("s/3"), neighbourIds(p.neighbours("s/0", q(11, null, null, 10))));
        assertEquals(List.of("s/1", "s/3"), neighbourIds(p.neighbours("s/0", q(null, true, null, 10))));
        assertEquals(List.of("s/2"), neighbourIds(p.neighbours("s/0", q(null, null, "NEGATIVE", 10))));
        assertEquals(List.of("s/1", "s/3"), neighbourIds(p.neighbours("s/0", q(null, null, "POSITIVE", 10))));
        // an edge without weight sorts first (Cypher puts nulls first in DESC) and has no sign
        assertEquals(List.of("s/1", "s/0", "s/3"), neighbourIds(p.neighbours("s/2", q(null, null, null, 10))));
        assertEquals(List.of("s/0"), neighbourIds(p.neighbours("s/2", q(null, null, "NEGATIVE", 10))));
        assertEquals(List.of(), p.neighbours("s/9", q(null, null, null, 10)));
        assertEquals(List.of(), p.neighbours("s/0", q(null, null, null, 0)));
    }

    @Test
    void edgesCarryTheirPropertiesAndTheRun() {
        RunProjection p = dependence();
        RunProjection.Neighbour first = p.neighbours("s/3", q(null, null, null, 1)).get(0);
        assertEquals("s/0", first.feature());
        assertEquals(Map.of("run", "r", "weight", 0.5, "replicates", 30L, "stable", true), first.edge().properties());
        assertEquals(true, first.outgoing(), "s/3 is the stored start of s/3 -> s/0");
        assertEquals(30L, first.edge().replicates());
        RunProjection.Neighbour noWeight = p.neighbours("s/1", q(null, null, null, 1)).get(0);
        assertEquals(Map.of("run", "r", "replicates", 1L), noWeight.edge().properties(),
                "absent properties stay absent");
        assertEquals(null, noWeight.edge().weight());
        assertEquals(false, p.neighbours("s/0", q(null, null, null, 3)).get(2).outgoing());
    }

    @Test
    void parallelEdgesStayDistinctWhenAskedAndPassAttributeFilters() {
        RunProjection.Builder b = new RunProjection.Builder();
        b.add("a/1", "b/2", props("run", "g", "weight", 0.42, "measure", "attribution", "key", "0", "count", 31L));
        b.add("a/1", "b/2", props("run", "g", "weight", 0.31, "measure", "decoder_cosine", "key", "1", "count", 0L));
        b.add("b/2", "c/3", props("run", "g", "weight", 0.55, "measure", "attribution", "key", "0", "count", 27L));
        RunProjection p = b.build("g", 0, "at");
        assertEquals(List.of("b/2"), neighbourIds(p.neighbours("a/1", q(null, null, null, 10))), "one per neighbour");
        List<RunProjection.Neighbour> every = p.neighbours("a/1", q(null, null, null, List.of(), true, 10));
        assertEquals(List.of(0.42, 0.31), every.stream().map(n -> n.edge().weight()).toList());
        List<RunProjection.Neighbour> cosine = p.neighbours("a/1", q(null, null, null, List.of(new AttributeFilter("measure", "decoder_cosine", null, null)), true, 10));
        assertEquals(List.of("1"), cosine.stream().map(n -> n.edge().key()).toList());
        List<RunProjection.Neighbour> counted = p.neighbours("b/2", q(null, null, null, List.of(new AttributeFilter("count", null, 20.0, 30.0)), true, 10));
        assertEquals(List.of("c/3"), neighbourIds(counted), "count 27 in [20, 30]; 31 and 0 are not");
        assertEquals(true, every.get(0).outgoing());
        assertEquals(List.of(false), p.neighbours("b/2", q(null, null, null, List.of(new AttributeFilter("key", "1", null, null)), true, 10)).stream()
                .map(RunProjection.Neighbour::outgoing).toList(), "b/2 is the end of a/1 -> b/2");
        assertEquals(2, p.edgesAround(List.of("a/1"), null, NeighbourQuery.edgesOf("COACTIVATES", "run", null, null, List.of())).size());
        assertEquals(1, p.edgesAround(List.of("a/1"), null, NeighbourQuery.edgesOf("COACTIVATES", "run", null, null, List.of(new AttributeFilter("measure", "attribution", null, null)))).size());
        assertEquals(List.of(), p.neighbours("a/1", q(null, null, null, List.of(new AttributeFilter("missing", "x", null, null)), true, 10)), "no attribute: no pass");
    }

    @Test
    void edgesAroundAreOncePerAskedEndOrderedByWeightThenEnds() {
        RunProjection p = dependence();
        List<EdgeAround> rows = p.edgesAround(List.of("s/0", "s/3"), null, NeighbourQuery.edgesOf("COACTIVATES", "run", null, null, List.of()));
        // s/0: 2 (-0.9), 1 (0.5), 3 (0.5); s/3: 0 (0.5), 2 (0.2); sorted by |w| desc, then a, then b
        assertEquals(List.of("s/0-s/2", "s/0-s/1", "s/0-s/3", "s/3-s/0", "s/3-s/2"),
                rows.stream().map(r -> r.a() + "-" + r.b()).toList());
        List<EdgeAround> among = p.edgesAround(List.of("s/1", "s/2"), Set.of("s/1", "s/2"), NeighbourQuery.edgesOf("COACTIVATES", "run", null, null, List.of()));
        assertEquals(List.of("s/1-s/2", "s/2-s/1"), among.stream().map(r -> r.a() + "-" + r.b()).toList(),
                "the unweighted edge, once from each asked end");
        assertEquals(List.of("s/2-s/3"), p.edgesAround(List.of("s/2"), null, NeighbourQuery.edgesOf("COACTIVATES", "run", null, true, List.of())).stream()
                .map(r -> r.a() + "-" + r.b()).toList());
        assertEquals(List.of("s/2-s/0", "s/2-s/3"), p.edgesAround(List.of("s/2"), null, NeighbourQuery.edgesOf("COACTIVATES", "run", 3, null, List.of())).stream()
                .map(r -> r.a() + "-" + r.b()).toList());
    }

    @Test
    void aPairLinkedTwiceIsOneNeighbourThroughItsStrongestEdgeAndMixedTypesSurvive() {
        RunProjection.Builder b = new RunProjection.Builder();
        b.add("a/0", "b/0", props("run", "m", "score", 0.8, "method", "mutual_nearest", "rank", 1L));
        b.add("a/0", "b/0", props("run", "m", "score", 0.8, "method", "assignment", "rank", 1L));
        b.add("a/0", "b/1", props("run", "m", "score", 0.9, "method", "assignment", "rank", 2L));
        b.add("a/1", "b/1", props("run", "m", "score", 1L, "method", "assignment", "rank", "first"));
        RunProjection p = b.build("m", 0, null);
        List<RunProjection.Neighbour> ns = p.neighbours("a/0", q(null, null, null, 10));
        assertEquals(List.of("b/1", "b/0"), neighbourIds(ns));
        assertEquals("assignment", ns.get(1).edge().method(), "equal scores: the method first in order wins");
        Map<String, Object> mixed = p.neighbours("a/1", q(null, null, null, 1)).get(0).edge().properties();
        assertEquals(1L, mixed.get("score"), "a long among doubles keeps its type");
        assertEquals("first", mixed.get("rank"));
        assertEquals(0.9, p.neighbours("b/1", q(null, null, null, 10)).stream()
                .filter(n -> n.feature().equals("a/0")).findFirst().orElseThrow().edge().score());
        assertTrue(p.neighbours("b/1", q(null, null, "POSITIVE", 10)).size() == 2);
    }

    private static NeighbourQuery q(Integer minReplicates, Boolean stableOnly, String sign, int limit) {
        return q(minReplicates, stableOnly, sign, List.of(), false, limit);
    }

    private static NeighbourQuery q(Integer minReplicates, Boolean stableOnly, String sign,
                                    List<AttributeFilter> attributes, boolean everyEdge, int limit) {
        return new NeighbourQuery("s", "COACTIVATES", List.of("coactivation"), null, "run", null, null,
                minReplicates, stableOnly, sign, attributes, everyEdge, limit);
    }
}
