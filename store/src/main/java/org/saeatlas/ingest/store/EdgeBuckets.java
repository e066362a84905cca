package org.saeatlas.ingest.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.saeatlas.errors.AtlasException;

/**
 * Writes edges with {@code w} concurrent writers such that no two concurrent transactions touch the same node:
 * features fall into {@code g = 2w} groups by index ({@code index mod g}); an edge belongs to the bucket of its two
 * endpoints' groups; buckets are written in rounds whose buckets share no group (a round-robin tournament over the
 * groups, then the same-group buckets), one writer per bucket, and a round starts when the previous one is done.
 * Relationship creation locks both endpoints, so writers of one round never wait on each other and cannot deadlock.
 * Cost: {@code g - 1 + 2} rounds; the rounds' buckets are near equal in size for edges spread over the features.
 */
final class EdgeBuckets {

    private EdgeBuckets() {
    }

    /** The rounds for {@code writers}: each a list of buckets ({@code {groupA, groupB}}) that share no group. */
    static List<List<int[]>> rounds(int writers) {
        int groups = 2 * writers;
        List<List<int[]>> rounds = new ArrayList<>();
        // circle method: group 0 fixed, the others rotate; every pair of distinct groups meets exactly once
        for (int r = 0; r < groups - 1; r++) {
            List<int[]> round = new ArrayList<>();
            for (int k = 0; k < groups / 2; k++) {
                int a = k == 0 ? 0 : 1 + Math.floorMod(r + k - 1, groups - 1);
                int b = 1 + Math.floorMod(r - k - 1 + groups - 1, groups - 1);
                round.add(new int[] {a, b});
            }
            rounds.add(round);
        }
        for (int start = 0; start < groups; start += writers) {
            List<int[]> round = new ArrayList<>();
            for (int g = start; g < Math.min(groups, start + writers); g++) {
                round.add(new int[] {g, g});
            }
            rounds.add(round);
        }
        return rounds;
    }

    static void write(List<Rows.EdgeRow> edges, int writers, Consumer<List<Rows.EdgeRow>> writeBucket) {
        int groups = 2 * writers;
        List<List<Rows.EdgeRow>> buckets = new ArrayList<>(groups * groups);
        for (int k = 0; k < groups * groups; k++) {
            buckets.add(new ArrayList<>());
        }
        for (Rows.EdgeRow e : edges) {
            int a = Math.floorMod(e.i(), groups);
            int b = Math.floorMod(e.j(), groups);
            buckets.get(Math.min(a, b) * groups + Math.max(a, b)).add(e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "atlas-edge-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            for (List<int[]> round : rounds(writers)) {
                List<Future<?>> running = new ArrayList<>();
                for (int[] pair : round) {
                    List<Rows.EdgeRow> bucket = buckets.get(Math.min(pair[0], pair[1]) * groups + Math.max(pair[0], pair[1]));
                    running.add(pool.submit(() -> writeBucket.accept(bucket)));
                }
                await(running);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(List<Future<?>> running) {
        RuntimeException failure = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new AtlasException("writing edges failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AtlasException("interrupted while writing edges", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
