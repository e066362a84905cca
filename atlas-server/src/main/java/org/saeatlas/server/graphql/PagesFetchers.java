package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.CompareReader;
import org.saeatlas.server.store.Comparison;
import org.saeatlas.server.store.Sae;
import org.saeatlas.server.store.SaeStatsReader;

/**
 * The resolvers the web UI's catalogue, SAE, run and compare pages add: runs whatever their status, distributions of
 * per-feature statistics, two SAEs or runs side by side. Wired after {@link AtlasFetchers}, so a field named here
 * replaces its resolver there.
 */
final class PagesFetchers {

    private final AtlasReader reader;

    PagesFetchers(AtlasReader reader) {
        this.reader = reader;
    }

    RuntimeWiring.Builder wire(RuntimeWiring.Builder wiring) {
        CompareReader compare = reader.compare();
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
                        .dataFetcher("graphA", env -> reader.runs().run(env.<Comparison>getSource().runA()))
                        .dataFetcher("graphB", env -> reader.runs().run(env.<Comparison>getSource().runB())));
    }

    /** {@code Sae.runs(all:)}: complete runs (as before) or every run with its status. */
    private Object saeRuns(DataFetchingEnvironment env) {
        String sae = env.<Sae>getSource().id();
        return Boolean.TRUE.equals(env.getArgument("all")) ? reader.runs().everyRunOf(sae) : reader.runs().runs(sae);
    }

    private Object distribution(DataFetchingEnvironment env) {
        Integer bins = env.getArgument("bins");
        return reader.saeStats().distribution(env.<Sae>getSource().id(),
                SaeStatsReader.Statistic.parse(String.valueOf(env.<Object>getArgument("statistic"))),
                bins == null ? 24 : bins);
    }

    /** {@code SideBySide.matches}: a Relay page of one-to-one matched pairs, with the match run they come from. */
    private Object matches(DataFetchingEnvironment env) {
        CompareReader.SideBySide s = env.getSource();
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("match", env.getArgument("after"));
        CompareReader.Page page = reader.compare().matches(s, env.getArgument("run"), skip, first + 1);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int k = 0; k < Math.min(first, page.pairs().size()); k++) {
            edges.add(Map.of("cursor", Cursors.encode("match", skip + k), "node", page.pairs().get(k)));
        }
        Map<String, Object> out = new HashMap<>();
        out.put("run", page.run());
        out.put("edges", edges);
        out.put("pageInfo", AtlasFetchers.pageInfo(edges, page.pairs().size() > first));
        out.put("totalCount", page.total());
        return out;
    }
}
