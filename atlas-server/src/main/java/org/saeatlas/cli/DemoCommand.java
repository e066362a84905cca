package org.saeatlas.cli;

import java.util.concurrent.Callable;
import org.saeatlas.compute.ComputeEngine;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate the demo atlas (two seeds of a 4,096-feature SAE with planted structure), compute,"
                + " load it into Neo4j (embedded by default) and serve it. A second run reuses the loaded data.")
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

    @Override
    public Integer call() {
        DemoParameters d = DemoParameters.defaults();
        DemoParameters params = new DemoParameters(seed, d.features(), d.tokens(), d.dIn(), d.modules(),
                d.hierarchies(), d.duplicates(), d.sharedFraction());
        System.out.println("opening Neo4j " + (database.uri != null ? database.uri : "(embedded, " + database.data.resolve("neo4j") + ")") + " ...");
        AtlasDatabase db = AtlasDatabase.open(database.target());
        try {
            DemoLoader reuse = new DemoLoader(db, System.out, database.data.resolve("runs"));
            if (reuse.loaded(params)) {
                reuse.load(params); // says it reuses the loaded demo; no engine needed
            } else {
                try (ComputeEngine engine = device.engine(database.data, Runtime.getRuntime().availableProcessors())) {
                    new DemoLoader(db, System.out, database.data.resolve("runs"), engine.cosine()).load(params);
                }
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        if (noServe) {
            db.close();
            return 0;
        }
        Serving.serveUntilInterrupted(db, server, System.out);
        return 0;
    }
}
