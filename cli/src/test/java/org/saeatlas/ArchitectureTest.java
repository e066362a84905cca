package org.saeatlas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URI;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the classes of every module (main sources; the command line's
 * test classpath holds all of them but benchmarks). Each rule is also run on a small bad fixture
 * ({@code org.saeatlas.archfixture}, test sources) that breaks it, so a rule that could never fail is caught too.
 * Most rules are about packages; {@link #serverModuleUsesNoLoaderModule} is about Maven modules: which jar or
 * {@code target/classes} folder a class comes from.
 */
class ArchitectureTest {

    /** Everything that is not pure computation: databases, web and CLI frameworks, files and the network. */
    static final String[] FRAMEWORKS_AND_IO = {"org.neo4j..", "io.micronaut..", "io.netty..", "graphql..",
        "picocli..", "com.fasterxml.jackson..", "ai.djl..", "org.apache.lucene..", "java.io..", "java.nio.file..",
        "java.net..", "java.sql.."};

    /** The store's write side, the analytics and the loader, which the server must never reach. */
    static final String[] NOT_FOR_THE_SERVER = {"..ingest.store..", "..ingest.analytics..", "..ingest.formats..",
        "..ingest.runfolder..", "..ingest.export..", "..ingest.atlas..", "..ingest", "..cli.."};

    static final ArchRule COMPUTE_IS_PURE = noClasses().that().resideInAPackage("..saeatlas.compute..")
            .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_IO)
            .orShould().dependOnClassesThat().resideInAnyPackage("..saeatlas.ingest..", "..saeatlas.server..",
                    "..saeatlas.cli..", "..saeatlas.djl..")
            .because("compute is pure computation: adapters live at the edges");

    static final ArchRule READERS_HAVE_NO_DATABASE = noClasses().that().resideInAPackage("..ingest.formats..")
            .should().dependOnClassesThat().resideInAnyPackage("org.neo4j..", "io.micronaut..", "..ingest.db..",
                    "..ingest.store..", "..ingest.analytics..", "..ingest.runfolder..", "..ingest.export..",
                    "..ingest.atlas..", "..ingest")
            .because("file readers need only compute and Jackson");

    static final ArchRule SERVER_READS_THROUGH_THE_DATABASE_ONLY = noClasses().that()
            .resideInAPackage("..saeatlas.server..")
            .should().dependOnClassesThat().resideInAnyPackage(NOT_FOR_THE_SERVER)
            .because("the server reads Neo4j through ingest.db; it never writes, analyses or reads users' files");

    /** The database layer is all of the store the server is built against (its pom leaves formats out). */
    static final ArchRule THE_DATABASE_LAYER_STANDS_ALONE = noClasses().that().resideInAPackage("..ingest.db..")
            .should().dependOnClassesThat().resideInAnyPackage("..ingest.formats..", "..ingest.store..",
                    "..ingest.analytics..", "..ingest.runfolder..", "..ingest.export..", "..ingest.atlas..",
                    "..ingest", "..server..", "..cli..")
            .because("the server depends on the store's read side only: ingest.db needs nothing of formats or the"
                    + " write side");

    /** The modules the server module must not depend on (atlas-server's pom bans them from its classpath too). */
    static final Set<String> NOT_FOR_THE_SERVER_MODULE = Set.of("ingest", "analytics", "formats", "atlas-cli");

    /** A class's Maven module (artifact id), from the jar or the {@code <module>/target/classes} it was read from. */
    static String moduleOf(JavaClass c) {
        return c.getSource().map(s -> moduleOf(s.getUri())).orElse("");
    }

    /** A module's jar: in the local Maven repository, or in a module's target (reactor builds, ./atlas's lib). */
    static final Pattern MODULE_JAR =
            Pattern.compile("(?:/org/saeatlas/[^/]+/[^/]+|/target|/target/lib)/([^/]+?)(?:-\\d[^/!]*)?\\.jar!");
    static final Pattern MODULE_FOLDER = Pattern.compile("/([^/]+)/target/(?:test-)?classes/");

    static String moduleOf(URI uri) {
        String u = uri.toString();
        Matcher m = MODULE_JAR.matcher(u);
        if (m.find()) {
            return m.group(1);
        }
        m = MODULE_FOLDER.matcher(u);
        if (m.find()) {
            return m.group(1).equals("cli") ? "atlas-cli" : m.group(1);
        }
        return "";
    }

    static DescribedPredicate<JavaClass> shippedBy(Set<String> modules) {
        return DescribedPredicate.describe("are shipped by the modules " + modules,
                c -> modules.contains(moduleOf(c)));
    }

    /**
     * The server module ({@code server}: its classes) uses no class that the loader, the analyses, the file readers
     * or the command line ship, whatever their package.
     */
    static ArchRule serverModuleUsesNoLoaderModule(DescribedPredicate<JavaClass> server) {
        return noClasses().that(server).should().dependOnClassesThat(shippedBy(NOT_FOR_THE_SERVER_MODULE))
                .because("atlas-server depends on the store's read side only, in Maven too");
    }

    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    /** The modules as layers: each may use only the layers below it (Maven enforces most; this adds server/cli). */
    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("schema").definedBy("org.saeatlas.schema..")
            .layer("compute").definedBy("org.saeatlas.compute..", "org.saeatlas.djl..")
            .layer("formats").definedBy("org.saeatlas.ingest.formats..")
            .layer("store").definedBy("org.saeatlas.ingest.db..", "org.saeatlas.ingest.store..",
                    "org.saeatlas.ingest.runfolder..", "org.saeatlas.ingest.export..")
            .layer("analytics").definedBy("org.saeatlas.ingest.analytics..")
            .layer("loader").definedBy("org.saeatlas.ingest", "org.saeatlas.ingest.atlas..")
            .layer("server").definedBy("org.saeatlas.server..")
            .layer("cli").definedBy("org.saeatlas.cli..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("loader").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("analytics").mayOnlyBeAccessedByLayers("loader", "cli")
            .whereLayer("store").mayOnlyBeAccessedByLayers("analytics", "loader", "server", "cli")
            .whereLayer("formats").mayOnlyBeAccessedByLayers("store", "analytics", "loader", "cli")
            .whereLayer("compute").mayOnlyBeAccessedByLayers("formats", "store", "analytics", "loader", "server",
                    "cli");

    static final JavaClasses ATLAS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.saeatlas");

    static final JavaClasses BAD = new ClassFileImporter().importPackages("org.saeatlas.archfixture");

    @Test
    void theAtlasHasAllItsModules() {
        for (String p : new String[] {"org.saeatlas.compute", "org.saeatlas.ingest.formats", "org.saeatlas.ingest.db",
            "org.saeatlas.ingest.store", "org.saeatlas.ingest.analytics", "org.saeatlas.ingest.atlas",
            "org.saeatlas.server.graphql", "org.saeatlas.cli"}) {
            assertTrue(ATLAS.containPackage(p), "classes of " + p + " were imported");
        }
    }

    @Test
    void computeImportsNoDatabaseWebOrIoFramework() {
        COMPUTE_IS_PURE.check(ATLAS);
    }

    @Test
    void fileReadersHaveNoDatabase() {
        READERS_HAVE_NO_DATABASE.check(ATLAS);
    }

    @Test
    void theServerReadsThroughTheDatabaseLayerOnly() {
        SERVER_READS_THROUGH_THE_DATABASE_ONLY.check(ATLAS);
    }

    @Test
    void theDatabaseLayerStandsAlone() {
        THE_DATABASE_LAYER_STANDS_ALONE.check(ATLAS);
    }

    @Test
    void theServerModuleUsesNoLoaderAnalyticsReaderOrCommandLineModule() {
        // the rule sees the modules: classes of atlas-server, ingest and formats were imported from their modules
        for (String module : new String[] {"atlas-server", "store", "ingest", "analytics", "formats", "atlas-cli"}) {
            assertTrue(ATLAS.stream().anyMatch(c -> moduleOf(c).equals(module)), "classes of module " + module);
        }
        serverModuleUsesNoLoaderModule(shippedBy(Set.of("atlas-server"))).check(ATLAS);
    }

    @Test
    void modulesAreToldByWhereTheirClassesComeFrom() {
        assertEquals("ingest", moduleOf(URI.create("jar:file:/home/u/.m2/repository/org/saeatlas/ingest/"
                + "0.1.0-SNAPSHOT/ingest-0.1.0-SNAPSHOT.jar!/org/saeatlas/ingest/DemoLoader.class")));
        assertEquals("atlas-server", moduleOf(URI.create(
                "file:/src/atlas/atlas-server/target/classes/org/saeatlas/server/AtlasServer.class")));
        assertEquals("atlas-cli", moduleOf(URI.create("file:/src/cli/cli/target/classes/org/saeatlas/cli/Main.class")));
        assertEquals("atlas-server", moduleOf(URI.create("jar:file:/src/atlas/atlas-server/target/"
                + "atlas-server-0.1.0-SNAPSHOT.jar!/org/saeatlas/server/AtlasServer.class")));
        assertEquals("compute-djl", moduleOf(URI.create("jar:file:/src/atlas/cli/target/lib/"
                + "compute-djl-0.1.0-SNAPSHOT.jar!/org/saeatlas/djl/DjlEngine.class")));
        assertEquals("", moduleOf(URI.create("jar:file:/home/u/.m2/repository/org/neo4j/neo4j/5.26.30/"
                + "neo4j-5.26.30.jar!/org/neo4j/Neo4j.class")));
    }

    @Test
    void noPackageCycles() {
        noPackageCycles("org.saeatlas").check(ATLAS);
    }

    @Test
    void eachModuleUsesOnlyTheModulesBelowIt() {
        LAYERS.check(ATLAS);
    }

    @Test
    void everyRuleFailsOnAFixtureThatBreaksIt() {
        assertTrue(BAD.size() >= 5, "fixture classes imported: " + BAD.size());
        // the cycle the split removed: the embedded database named GDS (db -> analytics), analytics used db
        assertThrows(AssertionError.class, () -> noPackageCycles("org.saeatlas.archfixture").check(BAD));
        assertThrows(AssertionError.class, () -> READERS_HAVE_NO_DATABASE.check(BAD));
        assertThrows(AssertionError.class, () -> SERVER_READS_THROUGH_THE_DATABASE_ONLY.check(BAD));
        assertThrows(AssertionError.class, () -> COMPUTE_IS_PURE.check(BAD));
        assertThrows(AssertionError.class, () -> THE_DATABASE_LAYER_STANDS_ALONE.check(BAD));
        // a server-module class (the fixture's) naming real classes that the ingest and formats modules ship
        AssertionError modules = assertThrows(AssertionError.class, () -> serverModuleUsesNoLoaderModule(
                JavaClass.Predicates.resideInAPackage("org.saeatlas.archfixture.servermodule")).check(BAD));
        assertTrue(modules.getMessage().contains("DemoLoader") && modules.getMessage().contains("Checksums"),
                modules.getMessage());
    }
}
