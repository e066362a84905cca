package org.saeatlas.ingest.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The indexes and constraints the atlas relies on (those its {@link SchemaMigrations} create) and which of them a
 * database lacks or has not populated: {@code serve} and {@code check} warn about them, since a query that finds no
 * index still answers, only many times slower. Token lookup indexes are recognised by what they index (Neo4j allows one
 * per entity type, under any name: a database Neo4j created has its own {@code index_343aff4e}); the others by name.
 */
public final class SchemaIndexes {

    private static final Pattern CREATE = Pattern.compile(
            "CREATE\\s+(CONSTRAINT|(?:(LOOKUP|FULLTEXT|RANGE|TEXT|POINT|VECTOR)\\s+)?INDEX)\\s+(\\w+)\\s+IF\\s+NOT\\s+EXISTS"
                    + "\\s+FOR\\s*(\\(\\s*\\w*\\s*\\)\\s*-)?",
            Pattern.CASE_INSENSITIVE);

    /** One item a migration creates: a constraint or an index, by name; a lookup index by entity type instead. */
    record Expected(boolean constraint, String lookupEntity, String name, String file) {
        String describe() {
            return lookupEntity != null
                    ? "the " + lookupEntity.toLowerCase(Locale.ROOT) + " token lookup index (" + file + ")"
                    : (constraint ? "constraint " : "index ") + name + " (" + file + ")";
        }
    }

    private SchemaIndexes() {
    }

    /** What the bundled migrations create. */
    static List<Expected> expected() {
        List<Expected> expected = new ArrayList<>();
        for (SchemaMigrations.Migration m : SchemaMigrations.bundled()) {
            for (String statement : m.statements()) {
                Matcher x = CREATE.matcher(statement);
                if (!x.lookingAt()) {
                    continue;
                }
                boolean constraint = x.group(1).equalsIgnoreCase("CONSTRAINT");
                String lookup = "LOOKUP".equalsIgnoreCase(x.group(2)) ? (x.group(4) != null ? "RELATIONSHIP" : "NODE")
                        : null;
                expected.add(new Expected(constraint, lookup, x.group(3), m.file()));
            }
        }
        return expected;
    }

    /**
     * What the database lacks of {@link #expected} or has not brought online, one line each ("the node token lookup
     * index (V0012__Token_lookup_indexes.cypher) is missing"); empty when all is there and online.
     */
    public static List<String> missing(CypherExecutor cypher) {
        Map<String, String> indexState = new HashMap<>();
        Map<String, String> lookupState = new HashMap<>();
        for (Map<String, Object> r : cypher.read("SHOW INDEXES YIELD name, type, entityType, state"
                + " RETURN name, type, entityType, state", Map.of())) {
            String state = String.valueOf(r.get("state"));
            indexState.put(String.valueOf(r.get("name")), state);
            if ("LOOKUP".equals(r.get("type"))) {
                lookupState.put(String.valueOf(r.get("entityType")), state);
            }
        }
        Set<String> constraints = new HashSet<>();
        for (Map<String, Object> r : cypher.read("SHOW CONSTRAINTS YIELD name RETURN name", Map.of())) {
            constraints.add(String.valueOf(r.get("name")));
        }
        List<String> problems = new ArrayList<>();
        for (Expected e : expected()) {
            if (e.constraint() && !constraints.contains(e.name())) {
                problems.add(e.describe() + " is missing");
                continue;
            }
            String state = e.lookupEntity() != null ? lookupState.get(e.lookupEntity()) : indexState.get(e.name());
            if (state == null) {
                problems.add(e.describe() + " is missing");
            } else if (!"ONLINE".equals(state)) {
                problems.add(e.describe() + " is " + state.toLowerCase(Locale.ROOT) + ", not online");
            }
        }
        return problems;
    }

    /**
     * One warning naming what is missing and what to do, or null when nothing is; a database that cannot be asked
     * (a user without the right to list indexes) is said so, without failing.
     */
    public static String warning(CypherExecutor cypher) {
        List<String> problems;
        try {
            problems = missing(cypher);
        } catch (RuntimeException e) {
            return "warning: could not list the indexes of the atlas database (" + cypher.describe() + "): "
                    + e.getMessage() + "; queries are many times slower without them";
        }
        if (problems.isEmpty()) {
            return null;
        }
        return "warning: the atlas database (" + cypher.describe() + ") lacks indexes the server relies on (queries"
                + " answer, many times slower): " + String.join("; ", problems) + ". A populating index comes online by"
                + " itself; create a missing one with the statement of the named migration file"
                + " (schema/src/main/resources/neo4j/migrations), e.g. in Neo4j Browser";
    }
}
