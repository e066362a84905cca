package org.saeatlas.ingest.analytics;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherException;
import org.saeatlas.ingest.db.CypherExecutor;

/**
 * Neo4j Graph Data Science in the atlas's database. In an embedded DBMS the GDS jars are on the classpath but Neo4j
 * only loads procedures from its plugins folder, so {@link #register} finds the GDS classes that declare procedures
 * and functions (by their annotations, read from the class bytes without loading every class) and registers them
 * with the DBMS's {@link GlobalProcedures}; the GDS kernel extension itself is picked up by Neo4j's service loader.
 * Against a Neo4j server GDS must be installed as a plugin there: {@link #require} checks and says how.
 */
public final class GdsProcedures {

    private static final String PACKAGE = "org/neo4j/gds/";
    private static final byte[] PROCEDURE = "Lorg/neo4j/procedure/Procedure;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FUNCTION = "Lorg/neo4j/procedure/UserFunction;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AGGREGATION =
            "Lorg/neo4j/procedure/UserAggregationFunction;".getBytes(StandardCharsets.US_ASCII);

    private GdsProcedures() {
    }

    /** What was registered: procedure, function and aggregation classes, and classes that failed (with why). */
    public record Registration(int procedures, int functions, int aggregations, List<String> failures) { }

    /** Registrations running in the background, which {@link #require} waits for. */
    private static final java.util.Set<Background> PENDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The scan of the classpath, made once per JVM (every embedded DBMS of the process registers the same). */
    private static volatile List<Found> scanned;

    /**
     * A registration running in a daemon thread: a DBMS serves at once and GDS joins it within seconds (a third of
     * an embedded start otherwise, paid by every command, most of which never call GDS). {@link #require} waits for
     * it; {@link Background#cancelAndAwait} stops it when the DBMS shuts down first.
     */
    public static final class Background implements org.saeatlas.ingest.db.EmbeddedProcedures.Registration {
        private final java.util.concurrent.CompletableFuture<Registration> done =
                new java.util.concurrent.CompletableFuture<>();
        private volatile boolean cancelled;

        /** Stops registering (the DBMS is about to shut down) and waits until the thread has left the registry. */
        @Override
        public void cancelAndAwait() {
            cancelled = true;
            await();
        }

        /** The registration, once finished; null if it failed or was cancelled. */
        public Registration await() {
            try {
                return done.get(120, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return null;
            }
        }
    }

    /** How every embedded DBMS gets GDS: found by {@code EmbeddedNeo4j} through {@code META-INF/services}. */
    public static final class Provider implements org.saeatlas.ingest.db.EmbeddedProcedures {
        @Override
        public Background register(DatabaseManagementService dbms) {
            return registerInBackground(dbms);
        }
    }

    /** Registers every GDS procedure and function found on the classpath with the DBMS, in a daemon thread. */
    public static Background registerInBackground(DatabaseManagementService dbms) {
        Background background = new Background();
        PENDING.add(background);
        background.done.whenComplete((registration, failure) -> PENDING.remove(background));
        Thread thread = new Thread(() -> {
            try {
                background.done.complete(register(dbms, () -> background.cancelled));
            } catch (RuntimeException | LinkageError e) {
                background.done.completeExceptionally(e);
            }
        }, "atlas-gds-registration");
        thread.setDaemon(true);
        thread.start();
        return background;
    }

    /** Registers with {@code dbms} the GDS classes of {@link #scan}, until {@code stop} says to stop. */
    private static Registration register(DatabaseManagementService dbms, java.util.function.BooleanSupplier stop) {
        // GDS sizes its structures with JOL, whose first call attaches the HotSpot Serviceability Agent from a child
        // process; once a native library such as libtorch (DJL) is mapped into this JVM, that attach stalled the
        // first projection for ~2 minutes. JOL's own estimates without the agent are what GDS needs.
        if (System.getProperty("jol.skipHotspotSAAttach") == null) {
            System.setProperty("jol.skipHotspotSAAttach", "true");
        }
        GlobalProcedures procedures = ((GraphDatabaseAPI) dbms.database("system")).getDependencyResolver()
                .resolveDependency(GlobalProcedures.class);
        int p = 0;
        int f = 0;
        int a = 0;
        List<String> failures = new ArrayList<>();
        for (Found found : scan()) {
            if (stop.getAsBoolean()) {
                break;
            }
            try {
                Class<?> type = Class.forName(found.className(), false, GdsProcedures.class.getClassLoader());
                if (found.procedure()) {
                    procedures.registerProcedure(type);
                    p++;
                }
                if (found.function()) {
                    procedures.registerFunction(type);
                    f++;
                }
                if (found.aggregation()) {
                    procedures.registerAggregationFunction(type);
                    a++;
                }
            } catch (Exception | LinkageError e) {
                failures.add(found.className() + ": " + e.getMessage());
            }
        }
        return new Registration(p, f, a, List.copyOf(failures));
    }

    /** The GDS version of the database, or a clear error when GDS is not installed there. */
    public static String require(CypherExecutor cypher) {
        for (Background background : List.copyOf(PENDING)) { // an embedded DBMS still registering GDS
            background.await();
        }
        try {
            return (String) cypher.read("RETURN gds.version() AS v", Map.of()).get(0).get("v");
        } catch (CypherException e) {
            if (e.kind() != CypherException.Kind.CLIENT) {
                throw e; // the database is away or failed: said as such, not as a missing GDS
            }
            throw missing(e);
        }
    }

    /** The error for a database without GDS: what was expected, what was found and how to fix it. */
    static AtlasException missing(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("gds.version") || message.contains("Unknown function")
                || message.contains("no procedure") || message.contains("not found")) {
            return new AtlasException("Neo4j Graph Data Science is not installed in this database (gds.version()"
                    + " is unknown). The embedded database brings it; for a Neo4j server install the GDS plugin"
                    + " 2.13.x (docker compose in docker/ has it: NEO4J_PLUGINS='[\"graph-data-science\"]') and allow"
                    + " it with dbms.security.procedures.unrestricted=gds.*", e);
        }
        return new AtlasException("checking for Neo4j Graph Data Science failed: " + message, e);
    }

    private record Found(String className, boolean procedure, boolean function, boolean aggregation) { }

    /** GDS classes declaring procedures or functions, in name order (deterministic). */
    static List<Found> scan() {
        List<Found> found = scanned;
        if (found == null) {
            found = List.copyOf(scanClasspath());
            scanned = found;
        }
        return found;
    }

    private static List<Found> scanClasspath() {
        TreeSet<String> seen = new TreeSet<>();
        List<Found> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                scanJar(path, seen, out);
            } else if (Files.isDirectory(path.resolve(PACKAGE))) {
                scanFolder(path, seen, out);
            }
        }
        out.sort((x, y) -> x.className().compareTo(y.className()));
        return out;
    }

    private static void scanJar(Path jar, TreeSet<String> seen, List<Found> out) {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(PACKAGE) == null && file.stream().noneMatch(e -> e.getName().startsWith(PACKAGE))) {
                return;
            }
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().startsWith(PACKAGE) && e.getName().endsWith(".class")) {
                    try (InputStream in = file.getInputStream(e)) {
                        inspect(e.getName(), in.readAllBytes(), seen, out);
                    }
                }
            }
        } catch (IOException e) {
            // not a readable jar: nothing of GDS in it
        }
    }

    private static void scanFolder(Path root, TreeSet<String> seen, List<Found> out) {
        try (Stream<Path> files = Files.walk(root.resolve(PACKAGE))) {
            for (Path p : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
                inspect(root.relativize(p).toString().replace(File.separatorChar, '/'), Files.readAllBytes(p), seen,
                        out);
            }
        } catch (IOException e) {
            throw new AtlasException("reading GDS classes in " + root + ": " + e.getMessage(), e);
        }
    }

    private static void inspect(String name, byte[] bytes, TreeSet<String> seen, List<Found> out) {
        boolean p = contains(bytes, PROCEDURE);
        boolean f = contains(bytes, FUNCTION);
        boolean a = contains(bytes, AGGREGATION);
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        if ((p || f || a) && seen.add(className)) {
            out.add(new Found(className, p, f, a));
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** For messages: the counts as one line. */
    static String summary(Registration r) {
        return Map.of("procedures", r.procedures(), "functions", r.functions(), "aggregations", r.aggregations())
                + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed");
    }
}
