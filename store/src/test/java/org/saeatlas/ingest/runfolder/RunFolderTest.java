package org.saeatlas.ingest.runfolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;

class RunFolderTest {
    private static final PlantedGraph G = PlantedGraph.generate(PlantedSpec.standard(150, 5000, 1));
    private static final StabilityResult RESULT = StabilityGraph.run(G.activations(),
            StabilityParameters.defaults().withResamples(4), Progress.NONE);
    private static final RunInput INPUT = new RunInput("acts.npz", "ab12", 5000, 150);

    @TempDir
    Path dir;

    @Test
    void writesTheFormatsContractAndReadsItBack() throws IOException {
        Path out = RunFolderWriter.write(dir.resolve("run1"), RESULT, INPUT, "0.1.0-test");
        List<String> edges = Files.readAllLines(out.resolve("edges.csv"));
        assertTrue(edges.get(0).startsWith("i,j,replicates,null_replicates,weight,sign_consistency,stable"));
        assertEquals(RESULT.edges().size() + 1, edges.size());
        assertTrue(Files.readAllLines(out.resolve("fdr_table.csv")).get(0)
                .startsWith("r,observed,expected_null,fdr_est,"), "the contract's columns first, extra columns after");
        assertEquals("r,observed,expected_null,fdr_est,indirect_share,total_error",
                Files.readAllLines(out.resolve("fdr_table.csv")).get(0));
        String json = Files.readString(out.resolve("run.json"));
        for (String key : new String[] {"\"method\"", "\"params\"", "\"resamples\" : 4", "\"seed\" : 42",
            "\"r_star\"", "\"sha256\" : \"ab12\"", "\"shape\" : [ 5000, 150 ]", "\"software\" : \"0.1.0-test\"",
            "\"bh_discoveries\"", "\"and_edges\"", "\"threshold\" : {", "\"rule\" : \"total\"",
            "\"reason\"", "\"planted_twin\""}) {
            assertTrue(json.contains(key), "run.json lacks " + key);
        }
        assertEquals(RESULT.rStar().isPresent(), json.contains("\"estimated_indirect_share\""),
                "the estimates at r* are written exactly when a threshold met alpha");
        assertEquals("i,j,k,z", Files.readAllLines(out.resolve("explained_away.csv")).get(0));
        assertEquals(RESULT.explained().keys().length + 1, Files.readAllLines(out.resolve("explained_away.csv")).size());
        assertTrue(json.contains("\"explain_away\" : {"), json);
        RunFolder back = RunFolderReader.read(out);
        assertEquals(RESULT.edges(), back.edges());
        assertEquals(RESULT.fdrTable().rows(), back.fdrTable());
        assertEquals(RESULT.rStar(), back.rStar());
        assertEquals(RESULT.trials(), back.trials());
        assertEquals(INPUT, back.input());
        assertEquals(RESULT.parameters().asMap().get("null_mode"), back.params().get("null_mode"));
    }

    @Test
    void sameResultSameBytes() throws IOException {
        Path a = RunFolderWriter.write(dir.resolve("a"), RESULT, INPUT, "v");
        Path b = RunFolderWriter.write(dir.resolve("b"), StabilityGraph.run(G.activations(),
                StabilityParameters.defaults().withResamples(4).withThreads(1), Progress.NONE), INPUT, "v");
        for (String f : new String[] {"edges.csv", "fdr_table.csv"}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void refusesToOverwriteAndLeavesNoTemporaryFolder() throws IOException {
        Path out = dir.resolve("run");
        RunFolderWriter.write(out, RESULT, INPUT, "v");
        AtlasException e = assertThrows(AtlasException.class, () -> RunFolderWriter.write(out, RESULT, INPUT, "v"));
        assertTrue(e.getMessage().contains("already exists"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList());
        }
    }

    @Test
    void inputHashIsTheSha256OfTheFile() throws IOException {
        Path f = dir.resolve("x.bin");
        Files.write(f, "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                RunInput.of(f, 1, 3).sha256());
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        Path out = RunFolderWriter.write(dir.resolve("bad"), RESULT, INPUT, "v");
        Files.writeString(out.resolve("fdr_table.csv"), "r,observed,fdr_est\n1,2,0.5\n");
        AtlasException e = assertThrows(AtlasException.class, () -> RunFolderReader.read(out));
        assertTrue(e.getMessage().contains("expected column 'expected_null'"), e.getMessage());
    }
}
