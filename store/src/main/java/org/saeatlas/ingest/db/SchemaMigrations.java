package org.saeatlas.ingest.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;

/**
 * The schema module's versioned Cypher migrations ({@link Vocabulary#MIGRATIONS}), applied by the atlas itself
 * through its {@link CypherExecutor}: in-process on the embedded database, over Bolt on a server.
 *
 * <p>Each file {@code V0001__What_it_does.cypher} holds statements separated by {@code ;}, with {@code //} and
 * {@code /* *}{@code /} comments ({@link #statements}). Every statement is idempotent ({@code IF NOT EXISTS}, checked by the schema module's
 * tests), runs in its own transaction (Neo4j refuses schema and data changes in one), and an applied migration is
 * recorded as a {@code (:__AtlasMigration {version, description, file, checksum, appliedAt})} node, unique by
 * version. Opening an up-to-date database costs one read. The checksum is a SHA-256 of the statements (not the
 * comments): a released migration whose statements changed is refused, naming the file, as is a database holding
 * a version this atlas does not know (written by a newer atlas). Two processes migrating the same database at once
 * are harmless: the statements are idempotent and the record is a MERGE on a unique version; a statement that
 * loses such a race is tried once more and then finds its item.
 *
 * <p>Databases migrated by earlier atlas versions (with Neo4j-Migrations, whose {@code __Neo4jMigration} nodes and
 * constraints stay as they are) have every item already: the first open re-applies the statements as no-ops,
 * creates the history's constraint and records them; like any change of schema, that needs a user who may change
 * the schema. An up-to-date database needs only a read.
 */
public final class SchemaMigrations {

    /** Label of the nodes recording applied migrations. */
    public static final String HISTORY = "__AtlasMigration";

    static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.cypher");

    /** One migration file: its version (the digits of its name), description, statements and their checksum. */
    public record Migration(String version, String description, String file, List<String> statements,
                            String checksum) {
    }

    /** What {@link #apply} did: the versions it applied (empty when the database was up to date). */
    public record Outcome(List<String> applied, int statements) {
    }

    private SchemaMigrations() {
    }

    /** The migrations of the schema module, in order, read from the classpath once per JVM. */
    public static List<Migration> bundled() {
        return Bundled.MIGRATIONS;
    }

    /** Read on first use; the files are resources of the schema jar and do not change while the JVM runs. */
    private static final class Bundled {
        static final List<Migration> MIGRATIONS = read();
    }

    private static List<Migration> read() {
        String folder = Vocabulary.MIGRATIONS_LOCATION.substring("classpath:".length());
        List<Migration> migrations = new ArrayList<>();
        for (String name : Vocabulary.MIGRATIONS) {
            String resource = folder + "/" + name;
            try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new AtlasException("schema migrations: " + resource + " is not on the classpath (is the"
                            + " schema jar complete?)");
                }
                migrations.add(parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new AtlasException("schema migrations: cannot read " + resource + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(migrations);
    }

    /** Parses one migration file; {@code file} is its name, which gives version and description. */
    public static Migration parse(String file, String text) {
        Matcher m = FILE_NAME.matcher(file);
        if (!m.matches()) {
            throw new AtlasException("schema migration " + file + ": expected a name like"
                    + " V0001__What_it_does.cypher");
        }
        List<String> statements = statements(file, text);
        if (statements.isEmpty()) {
            throw new AtlasException("schema migration " + file + ": expected Cypher statements separated by"
                    + " ';', found none");
        }
        return new Migration(m.group(1), m.group(2).replace('_', ' '), file, List.copyOf(statements),
                checksum(statements));
    }

    /**
     * The statements of a migration file: split at {@code ;} outside strings and quoted names, without comments
     * ({@code //} to the end of the line, {@code /* ... *}{@code /}), whitespace outside strings collapsed to one
     * space (so layout and comments do not change the checksum); a last statement may omit its {@code ;}; a
     * byte-order mark is ignored.
     */
    static List<String> statements(String file, String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote != '`' && i + 1 < s.length()) {
                    current.append(s.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (c == '/' && next == '/') {
                while (i + 1 < s.length() && s.charAt(i + 1) != '\n' && s.charAt(i + 1) != '\r') {
                    i++;
                }
                space = true;
            } else if (c == '/' && next == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new AtlasException("schema migration " + file + ": a /* comment is not closed");
                }
                i = end + 1;
                space = true;
            } else if (Character.isWhitespace(c)) {
                space = true;
            } else if (c == ';') {
                if (!current.isEmpty()) {
                    statements.add(current.toString());
                }
                current.setLength(0);
                space = false;
            } else {
                if (space && !current.isEmpty()) {
                    current.append(' ');
                }
                space = false;
                current.append(c);
                if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                }
            }
        }
        if (quote != 0) {
            throw new AtlasException("schema migration " + file + ": a string or name opened with " + quote
                    + " is not closed");
        }
        if (!current.isEmpty()) {
            statements.add(current.toString());
        }
        return statements;
    }

    private static String checksum(List<String> statements) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join(";\n", statements).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies the {@link #bundled} migrations the database does not have yet. */
    public static Outcome apply(CypherExecutor cypher) {
        return apply(cypher, bundled());
    }

    /**
     * Applies the migrations of {@code migrations} the database has not recorded, in order; refuses (changing
     * nothing) a database that recorded a version not in {@code migrations} or a migration whose statements
     * have changed since.
     */
    public static Outcome apply(CypherExecutor cypher, List<Migration> migrations) {
        Map<String, Migration> known = new LinkedHashMap<>();
        for (Migration m : migrations) {
            if (known.put(number(m.version()), m) != null) {
                throw new AtlasException("schema migrations: version " + m.version() + " appears twice ("
                        + m.file() + ")");
            }
        }
        Set<String> recorded = new HashSet<>();
        // read where writes go (a cluster's leader, not a follower that may lag): one transaction, no change
        for (Map<String, Object> row : cypher.write("MATCH (m:" + HISTORY + ") RETURN m.version AS version,"
                + " m.checksum AS checksum, m.file AS file ORDER BY version", Map.of())) {
            String version = String.valueOf(row.get("version"));
            Migration m = known.get(number(version));
            if (m == null) {
                throw new AtlasException("the database at " + cypher.describe() + " has schema migration "
                        + version + " (" + row.get("file") + "), which this version of the atlas does not know: it"
                        + " was written by a newer atlas. Use that version, or another --data folder / database");
            }
            if (!Objects.equals(row.get("checksum"), m.checksum())) {
                throw new AtlasException("schema migration " + m.file() + " was applied to the database at "
                        + cypher.describe() + " with other statements (checksum " + row.get("checksum") + ", the"
                        + " file now has " + m.checksum() + "): a released migration must not change; put the"
                        + " change in a new migration");
            }
            recorded.add(number(version));
        }
        List<Migration> pending = migrations.stream().filter(m -> !recorded.contains(number(m.version())))
                .toList();
        if (pending.isEmpty()) {
            return new Outcome(List.of(), 0);
        }
        run(cypher, "CREATE CONSTRAINT atlas_migration_version IF NOT EXISTS FOR (m:" + HISTORY + ")"
                + " REQUIRE m.version IS UNIQUE", "history (the constraint atlas_migration_version)");
        List<String> applied = new ArrayList<>();
        int statements = 0;
        for (Migration m : pending) {
            for (String statement : m.statements()) {
                run(cypher, statement, m.file());
                statements++;
            }
            cypher.write("MERGE (m:" + HISTORY + " {version: $version}) ON CREATE SET m.description = $description,"
                    + " m.file = $file, m.checksum = $checksum, m.appliedAt = datetime()",
                    Map.of("version", m.version(), "description", m.description(), "file", m.file(),
                            "checksum", m.checksum()));
            applied.add(m.version());
        }
        return new Outcome(List.copyOf(applied), statements);
    }

    /** A version as a number without leading zeros: V0010 and V10 are the same migration. */
    private static String number(String version) {
        return version.replaceFirst("^0+(?=\\d)", "");
    }

    /**
     * One statement in its own transaction; once more when it lost a race to a concurrent migration (the item now
     * exists) or failed transiently. Other failures are reported at once, naming the file, the statement and, for a
     * user without schema rights, what to do.
     */
    private static void run(CypherExecutor cypher, String statement, String file) {
        try {
            cypher.write(statement, Map.of());
        } catch (CypherException first) {
            String code = String.valueOf(first.code());
            boolean race = code.startsWith("Neo.ClientError.Schema.") && code.endsWith("AlreadyExists");
            if (!race && first.kind() != CypherException.Kind.TRANSIENT) {
                throw failed(cypher, statement, file, first);
            }
            try {
                cypher.write(statement, Map.of());
            } catch (CypherException e) {
                e.addSuppressed(first);
                throw failed(cypher, statement, file, e);
            }
        }
    }

    private static AtlasException failed(CypherExecutor cypher, String statement, String file, CypherException e) {
        String why = String.valueOf(e.code()).startsWith("Neo.ClientError.Security.")
                ? ": the user may not change the schema; open the database once as a user who may (an admin), then"
                + " any user can use it"
                : "";
        return new AtlasException("schema migration " + file + " failed on " + cypher.describe() + why + ": "
                + statement + ": " + e.getMessage(), e);
    }
}
