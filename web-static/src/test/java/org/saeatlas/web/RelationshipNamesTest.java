package org.saeatlas.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.saeatlas.schema.Vocabulary;

/**
 * The web UI's relationship names (cypher.js's {@code RELATIONSHIP}, used in the Cypher every page shows) are the
 * ones the ingest writes: one entry per GraphQL {@code EdgeKind}, each the relationship {@link Vocabulary} maps it
 * to. A new edge kind or a renamed relationship fails here until the UI follows.
 */
class RelationshipNamesTest {

    private static final Pattern MAP = Pattern.compile("export const RELATIONSHIP = \\{([^}]*)}");
    private static final Pattern ENTRY = Pattern.compile("(\\w+)\\s*:\\s*'(\\w+)'");

    static Map<String, String> uiRelationships() {
        Matcher m = MAP.matcher(ServedFiles.read("/js/cypher.js"));
        if (!m.find()) {
            throw new AssertionError("cypher.js has no 'export const RELATIONSHIP = { ... }'");
        }
        Map<String, String> map = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(m.group(1));
        while (e.find()) {
            map.put(e.group(1), e.group(2));
        }
        return map;
    }

    @Test
    void everyEdgeKindHasTheRelationshipTheIngestWrites() {
        Map<String, String> ui = uiRelationships();
        assertFalse(ui.isEmpty());
        GraphQLEnumType kinds = (GraphQLEnumType) UnExecutableSchemaGenerator.makeUnExecutableSchema(
                new SchemaParser().parse(ServedFiles.schemaText())).getType("EdgeKind");
        Set<String> edgeKinds = new TreeSet<>();
        for (GraphQLEnumValueDefinition v : kinds.getValues()) {
            edgeKinds.add(v.getName());
        }
        assertEquals(edgeKinds, new TreeSet<>(ui.keySet()), "cypher.js RELATIONSHIP keys vs atlas.graphqls EdgeKind");
        for (Map.Entry<String, String> entry : ui.entrySet()) {
            assertEquals(Vocabulary.relationshipOf(entry.getKey()), entry.getValue(),
                    "cypher.js RELATIONSHIP." + entry.getKey());
        }
    }
}
