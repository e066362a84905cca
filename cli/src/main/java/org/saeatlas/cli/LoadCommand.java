package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.ingest.atlas.AtlasBuild;
import org.saeatlas.ingest.atlas.AtlasFileBuild;
import org.saeatlas.ingest.atlas.AtlasPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load the finished task folders of an atlas file from RESULTS (written by `./atlas task` or"
            + " `./atlas build`) into the atlas database, then run the tasks on the database: communities, matches,"
            + " comparisons. What is already loaded or done is skipped; tasks whose folder is missing are reported"
            + " with their dependants. Exits 1 when a task failed or is missing.",
            "Example: ./atlas load atlas.yaml --from /shared/atlas-results",
            "Example: ./atlas load atlas.yaml --from /shared/atlas-results --neo4j-uri neo4j+s://db.example.org"})
class LoadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ATLAS_FILE", description = "The atlas file (atlas.yaml).")
    Path file;

    @Option(names = "--from", required = true, paramLabel = "RESULTS", description = "Folder of the task folders.")
    Path from;

    @Mixin
    DatabaseOptions database;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        AtlasPlan plan = AtlasFileOptions.plan(file);
        try (ComputeEngine engine = device.engine(database.data, Runtime.getRuntime().availableProcessors())) {
            AtlasBuild build = new AtlasFileBuild(database.target(), System.out).run(new AtlasFileBuild.Request(plan,
                    from, 0, 0, false), engine).build();
            build.printSummary();
            return BuildCommand.finish(build);
        }
    }
}
