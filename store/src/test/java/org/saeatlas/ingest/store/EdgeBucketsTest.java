package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The write schedule: every bucket once, concurrent buckets never share a node group, nothing lost. */
class EdgeBucketsTest {

    @Test
    void everyPairOfGroupsOnceAndNoGroupTwiceInARound() {
        for (int writers = 1; writers <= 6; writers++) {
            int groups = 2 * writers;
            Set<String> seen = new HashSet<>();
            for (List<int[]> round : EdgeBuckets.rounds(writers)) {
                assertTrue(round.size() <= writers, "at most one bucket per writer");
                Set<Integer> busy = new HashSet<>();
                for (int[] pair : round) {
                    assertTrue(busy.add(pair[0]), "group " + pair[0] + " twice in a round");
                    assertTrue(pair[0] == pair[1] || busy.add(pair[1]), "group " + pair[1] + " twice in a round");
                    assertTrue(seen.add(Math.min(pair[0], pair[1]) + "-" + Math.max(pair[0], pair[1])), "bucket twice");
                }
            }
            assertEquals(groups * (groups + 1) / 2, seen.size(), "every bucket for " + writers + " writers");
        }
    }

    @Test
    void everyEdgeIsWrittenOnceAndConcurrentBucketsTouchDisjointNodes() {
        List<Rows.EdgeRow> edges = new ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int k = 0; k < 5_000; k++) {
            edges.add(new Rows.EdgeRow(random.nextInt(300), random.nextInt(300), Map.of("k", k)));
        }
        List<Rows.EdgeRow> written = Collections.synchronizedList(new ArrayList<>());
        Set<Integer> inFlight = Collections.synchronizedSet(new HashSet<>());
        EdgeBuckets.write(edges, 3, bucket -> {
            Set<Integer> nodes = new HashSet<>();
            bucket.forEach(e -> {
                nodes.add(e.i());
                nodes.add(e.j());
            });
            synchronized (inFlight) {
                for (Integer n : nodes) {
                    assertTrue(!inFlight.contains(n), "node " + n + " in two concurrent buckets");
                }
                inFlight.addAll(nodes);
            }
            written.addAll(bucket);
            synchronized (inFlight) {
                inFlight.removeAll(nodes);
            }
        });
        assertEquals(edges.size(), written.size());
        assertEquals(new HashSet<>(edges), new HashSet<>(written));
    }
}
