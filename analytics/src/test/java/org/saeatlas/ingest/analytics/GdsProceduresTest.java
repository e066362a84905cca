package org.saeatlas.ingest.analytics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ClientException;
import org.saeatlas.errors.AtlasException;

class GdsProceduresTest {

    @Test
    void aServerWithoutGdsGetsAnErrorThatSaysHowToInstallIt() {
        AtlasException e = GdsProcedures.missing(new ClientException("Neo.ClientError.Statement.SyntaxError",
                "Unknown function 'gds.version' (line 1, column 8 (offset: 7))"));
        assertTrue(e.getMessage().contains("Graph Data Science is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("dbms.security.procedures.unrestricted=gds.*"), e.getMessage());
    }

    @Test
    void otherFailuresAreReportedAsThey() {
        AtlasException e = GdsProcedures.missing(new ClientException("Neo.ClientError.Security.Unauthorized",
                "The client is unauthorized"));
        assertTrue(e.getMessage().startsWith("checking for Neo4j Graph Data Science failed"), e.getMessage());
    }

    @Test
    void findsTheGdsProcedureClassesOnTheClasspath() {
        assertTrue(GdsProcedures.scan().size() > 100, "GDS procedure classes found: " + GdsProcedures.scan().size());
    }

    @Test
    void renumbersLabelsBySizeThenFirstMember() {
        int[] out = GdsCommunities.renumber(new long[] {9, 5, 9, 7, 5, 5, 0},
                new boolean[] {true, true, true, true, true, true, false});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 0, 1, 2, 0, 0, -1}, out);
    }
}
