package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.Map;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.RunStatusReader;
import org.saeatlas.server.store.SaeStatsReader;

/**
 * The resolvers the web UI's catalogue, SAE, run and compare pages add: runs whatever their status, distributions of
 * per-feature statistics. Wired after {@link AtlasFetchers}, so a field named here replaces its resolver there.
 */
final class PagesFetchers {

    private final AtlasReader reader;
    private final SaeStatsReader stats;
    private final RunStatusReader runs;

    PagesFetchers(AtlasReader reader) {
        this.reader = reader;
        this.stats = new SaeStatsReader(reader);
        this.runs = new RunStatusReader(reader);
    }

    RuntimeWiring.Builder wire(RuntimeWiring.Builder wiring) {
        return wiring.type("Sae", t -> t
                .dataFetcher("runs", this::saeRuns)
                .dataFetcher("distribution", this::distribution));
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(DataFetchingEnvironment env) {
        return (Map<String, Object>) env.getSource();
    }
}
