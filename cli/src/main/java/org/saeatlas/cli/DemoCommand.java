package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.atlas.AtlasBuild;
import org.saeatlas.ingest.atlas.AtlasFileBuild;
import org.saeatlas.ingest.atlas.AtlasPlan;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.db.AtlasDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate the demo atlas as files (one model, 3 layers x 2 seeds of a 2,048-feature SAE with"
                + " planted structure: .npz activations, SAELens folders, explanations, examples and the atlas.yaml"
                + " that describes them, in --data/demo-files), build it like any atlas file (compute, load into"
                + " Neo4j, matches, communities, comparisons) and serve it. A second run reuses what is built.")
class DemoCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Mixin
    ServerOptions server;

    @Mixin
    DeviceOptions device;

    @Option(names = "--seed", defaultValue = "20261122", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-serve", description = "Load the demo and exit instead of serving it.")
    boolean noServe;

    @Option(names = "--features", defaultValue = "2048", description = "Features per demo SAE (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--jobs", paramLabel = "N", description = "Compute tasks run at once [half the cores, at least 1].")
    Integer jobs;

    @Override
    public Integer call() {
        DemoParameters params = DemoParameters.scaled(seed, features, DemoParameters.defaults().tokens(), 1.0);
        long t0 = System.nanoTime();
        Path file = DemoFiles.write(database.data.resolve("demo-files"), params, LAYERS, System.out);
        AtlasPlan plan = AtlasFileOptions.plan(file);
        int cores = Runtime.getRuntime().availableProcessors();
        AtlasDatabase db;
        try (LazyEngine engine = new LazyEngine(() -> device.engine(database.data, cores))) {
            AtlasFileBuild.Result r = new AtlasFileBuild(database.target(), System.out).run(new AtlasFileBuild.Request(
                    plan, database.data.resolve("results"), jobs != null ? Math.max(1, jobs) : Math.max(1, cores / 2),
                    AtlasFileOptions.defaultBudget(), true), engine);
            db = r.database();
            try {
                AtlasBuild build = r.build();
                if (build.outcomes().values().stream().anyMatch(t -> t.outcome() != AtlasBuild.Outcome.REUSED)) {
                    build.printSummary();
                }
                if (BuildCommand.finish(build) != 0) {
                    throw new AtlasException("demo: some tasks of " + file + " failed (see above)");
                }
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            System.out.printf(Locale.ROOT, "demo atlas ready in %.1fs (built from %s)%n",
                    (System.nanoTime() - t0) / 1e9, file);
        }
        if (noServe) {
            db.close();
            return 0;
        }
        Serving.serveUntilInterrupted(db, server, System.out);
        return 0;
    }

    /** Layers of the demo model; each has two seeds of one SAE. */
    static final int LAYERS = 3;
}
