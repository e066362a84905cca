package org.saeatlas.ingest.store;

import java.nio.file.Path;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Ingests a synthetic atlas into an embedded database folder, in small batches, printing one line per batch, so a
 * test in another JVM can kill it in the middle of a run. Arguments: folder, features, edges, batch size.
 */
public final class ChildIngestMain {

    private ChildIngestMain() {
    }

    public static void main(String[] args) {
        BulkImport.Content atlas = SyntheticAtlas.generate(Integer.parseInt(args[1]), Integer.parseInt(args[2]), 7);
        try (AtlasDatabase db = AtlasDatabase.open(target(Path.of(args[0])))) {
            AtlasWriter writer = new AtlasWriter(db.cypher(), (stage, done, total) -> {
                System.out.println("PROGRESS " + stage.replace(' ', '_') + " " + done + " " + total);
                System.out.flush();
            }, Integer.parseInt(args[3]));
            load(writer, atlas);
        }
        System.out.println("DONE");
    }

    static Neo4jTarget target(Path dir) {
        return new Neo4jTarget(null, null, null, dir, EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m");
    }

    static boolean load(AtlasWriter writer, BulkImport.Content atlas) {
        atlas.models().forEach(writer::model);
        atlas.saes().forEach(writer::sae);
        atlas.features().forEach(writer::features);
        BulkImport.RunEdges run = atlas.runs().get(0);
        return writer.run(run.run(), run.relationship(), run.edges());
    }
}
