package org.saeatlas.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;

/**
 * The server's explanation index against Neo4j's full-text index on the demo atlas: the same hits in the same order
 * with the same scores for every kind of query and filter, pages that never overlap, and nothing stale after Neo4j's
 * explanations change.
 */
class ExplanationIndexIT {

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static ExplanationIndex index;
    static AtlasReader withIndex;
    static AtlasReader neo4jOnly;

    @BeforeAll
    static void load() throws Exception {
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
        new DemoLoader(db, new PrintStream(new ByteArrayOutputStream())).load(DemoParameters.small(5));
        index = new ExplanationIndex(db.cypher(), 1_000_000);
        withIndex = new AtlasReader(db.cypher(), Duration.ofSeconds(30), index);
        neo4jOnly = new AtlasReader(db.cypher(), Duration.ofSeconds(30));
        index.warm(withIndex.search());
        assertTrue(index.awaitIdle(Duration.ofMinutes(1)));
        assertNotNull(index.ready());
    }

    @AfterAll
    static void close() {
        if (index != null) {
            index.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.explanation().id() + "@" + h.feature().id()).toList();
    }

    @Test
    void rankingsScoresAndFiltersEqualNeo4jsFullTextIndex() {
        String saeB = neo4jOnly.catalogue().saes(null).get(1).id();
        List<String> queries = List.of("legal", "text", "legal OR code", "\"legal text\"", "cou*", "legl~",
                "text AND NOT legal", "(cooking OR music) AND text");
        int compared = 0;
        for (String q : queries) {
            for (List<String> saes : java.util.Arrays.asList(null, List.of(saeB))) {
                // the whole ranking: the same hits, each rank with the same score to 1e-3 (Neo4j's index statistics,
                // e.g. deleted documents not merged away, differ a little). Fuzzy queries match the same hits but
                // weigh their expansions by those statistics, so their scores and order differ more.
                List<SearchHit> all = neo4jOnly.search().search(q, null, saes, null, 0, 500);
                List<SearchHit> mine = withIndex.search().search(q, null, saes, null, 0, 500);
                assertEquals(new java.util.HashSet<>(ids(all)), new java.util.HashSet<>(ids(mine)), q + " in " + saes);
                assertEquals(all.size(), mine.size());
                for (int k = 0; k < all.size() && !q.contains("~"); k++) {
                    double expected = all.get(k).score();
                    assertEquals(expected, mine.get(k).score(), 1e-3 * expected,
                            q + " score at rank " + k);
                }
                compared += all.size();
                if (q.contains("~")) {
                    continue;
                }
                for (long skip : List.of(0L, 5L, 40L)) {
                    List<SearchHit> a = neo4jOnly.search().search(q, null, saes, null, skip, 30);
                    List<SearchHit> b = withIndex.search().search(q, null, saes, null, skip, 30);
                    assertEquals(ids(a), ids(b), q + " in " + saes + " from " + skip);
                    for (int k = 0; k < a.size(); k++) {
                        assertEquals(a.get(k).explanation(), b.get(k).explanation());
                        assertEquals(a.get(k).feature(), b.get(k).feature());
                    }
                }
            }
            assertEquals(ids(neo4jOnly.search().search(q, List.of("nope"), null, null, 0, 30)),
                    ids(withIndex.search().search(q, List.of("nope"), null, null, 0, 30)));
            assertEquals(new java.util.HashSet<>(ids(neo4jOnly.search().search(q, null, null, List.of(6L), 0, 500))),
                    new java.util.HashSet<>(ids(withIndex.search().search(q, null, null, List.of(6L), 0, 500))));
        }
        assertTrue(compared > 500, "hits compared: " + compared);
        AtlasException e = assertThrows(AtlasException.class, () -> withIndex.search().search("court AND (", null, null, null,
                0, 10));
        assertTrue(e.getMessage().startsWith("search: cannot parse 'court AND ('"), e.getMessage());
    }

    @Test
    void newExplanationsAreFoundAtOnceAndTheIndexCatchesUp() throws Exception {
        String sae = neo4jOnly.catalogue().saes(null).get(0).id();
        ExplanationIndex.Signature before = index.ready();
        assertEquals(List.of(), withIndex.search().search("zyzzyva", null, null, null, 0, 10));
        new AtlasWriter(db.cypher(), org.saeatlas.compute.Progress.NONE)
                .explanations(sae, List.of(new Rows.ExplanationRow(3, "zyzzyva beetles in legal text", "test", 0.5)));
        List<SearchHit> found = withIndex.search().search("zyzzyva", null, null, null, 0, 10);
        assertEquals(1, found.size(), "found through Neo4j while the index rebuilds");
        assertEquals(Vocabulary.featureId(sae, 3), found.get(0).feature().id());
        assertTrue(index.awaitIdle(Duration.ofMinutes(1)));
        assertTrue(index.ready().revision() > before.revision(), before + " -> " + index.ready());
        assertEquals(ids(found), ids(withIndex.search().search("zyzzyva", null, null, null, 0, 10)), "and from the index");
        // what the index holds answers only for the signature it was built from
        assertNull(index.search(new ExplanationIndex.Signature(-1, -1), "legal", null, null, null, 0, 10));
    }
}
