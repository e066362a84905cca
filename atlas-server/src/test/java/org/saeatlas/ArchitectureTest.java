package org.saeatlas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the classes of every module (main sources; atlas-server's test
 * classpath holds all of them but benchmarks). Each rule is also run on a small bad fixture
 * ({@code org.saeatlas.archfixture}, test sources) that breaks it, so a rule that could never fail is caught too.
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
    }
}
