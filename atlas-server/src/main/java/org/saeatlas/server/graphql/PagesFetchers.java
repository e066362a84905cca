package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.CompareReader;
import org.saeatlas.server.store.RunStatusReader;
import org.saeatlas.server.store.SaeStatsReader;

/**
 * The resolvers the web UI's catalogue, SAE, run and compare pages add: runs whatever their status, distributions of
 * per-feature statistics, two SAEs or runs side by side. Wired after {@link AtlasFetchers}, so a field named here
 * replaces its resolver there.
 */
final class PagesFetchers {

    private final AtlasReader reader;
    private final SaeStatsReader stats;
    private final RunStatusReader runs;
    private final CompareReader compare;

    PagesFetchers(AtlasReader reader) {
        this.reader = reader;
        this.stats = new SaeStatsReader(reader);
        this.runs = new RunStatusReader(reader);
        this.compare = new CompareReader(reader);
    }

    RuntimeWiring.Builder wire(RuntimeWiring.Builder wiring) {
        return wiring
                .type("Query", t -> t.dataFetcher("compare", env -> compare.resolve(env.getArgument("a"),
                        env.getArgument("b"))))
                .type("Sae", t -> t
                        .dataFetcher("runs", this::saeRuns)
                        .dataFetcher("distribution", this::distribution))
                .type("SideBySide", t -> t
                        .dataFetcher("matchRuns", env -> compare.matchRuns(env.getSource()))
                        .dataFetcher("comparisons", env -> compare.comparisons(env.getSource()))
                        .dataFetcher("matches", this::matches))
                .type("Comparison", t -> t
                        .dataFetcher("graphA", env -> reader.run((String) source(env).get("runA")))
                        .dataFetcher("graphB", env -> reader.run((String) source(env).get("runB"))));
    }

    /** {@code Sae.runs(all:)}: complete runs (as before) or every run with its status. */
    private Object saeRuns(DataFetchingEnvironment env) {
        String sae = (String) source(env).get("id");
        return Boolean.TRUE.equals(env.getArgument("all")) ? runs.runsOf(sae) : reader.runs(sae);
    }

    private Object distribution(DataFetchingEnvironment env) {
        Integer bins = env.getArgument("bins");
        return stats.distribution((String) source(env).get("id"),
                SaeStatsReader.Statistic.parse(String.valueOf(env.<Object>getArgument("statistic"))),
                bins == null ? 24 : bins);
    }

    /** {@code SideBySide.matches}: a Relay page of one-to-one matched pairs, with the match run they come from. */
    private Object matches(DataFetchingEnvironment env) {
        CompareReader.SideBySide s = env.getSource();
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("match", env.getArgument("after"));
        CompareReader.Page page = compare.matches(s, env.getArgument("run"), skip, first + 1);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int k = 0; k < Math.min(first, page.pairs().size()); k++) {
            edges.add(Map.of("cursor", Cursors.encode("match", skip + k), "node", page.pairs().get(k)));
        }
        Map<String, Object> pageInfo = new HashMap<>();
        pageInfo.put("hasNextPage", page.pairs().size() > first);
        pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
        Map<String, Object> out = new HashMap<>();
        out.put("run", page.run());
        out.put("edges", edges);
        out.put("pageInfo", pageInfo);
        out.put("totalCount", page.total());
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(DataFetchingEnvironment env) {
        return (Map<String, Object>) env.getSource();
    }
}
