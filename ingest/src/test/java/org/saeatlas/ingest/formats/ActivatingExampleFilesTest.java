package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivatingExampleFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsRealSaeDashboardBatches() {
        List<ActivatingExample> b0 = ActivatingExampleFiles.readSaeDashboardBatch(
                Fixtures.path("saedashboard/batch-0.json"));
        assertEquals(38 + 35, b0.size());
        ActivatingExample first = b0.get(0);
        assertEquals(0, first.feature());
        assertEquals(127, first.tokens().size());
        assertEquals(List.of("\n", "\n", "I", " happen", " to"), first.tokens().subList(0, 5));
        assertEquals(" Hillary", first.tokens().get(22));
        assertEquals(2.214f, first.values()[27]);
        assertEquals(2.214f, first.maxValue());
        assertEquals(1, b0.get(38).feature());
        assertEquals(0f, b0.get(38).maxValue(), "feature 1 is dead in this fixture");

        List<ActivatingExample> b1 = ActivatingExampleFiles.readSaeDashboardBatch(
                Fixtures.path("saedashboard/batch-1.json"));
        assertEquals(52 + 44, b1.size());
        assertEquals(3.429f, b1.stream().filter(e -> e.feature() == 3).findFirst().orElseThrow().maxValue());
        List<ActivatingExample> conv = ActivatingExampleFiles.readSaeDashboardBatch(
                Fixtures.path("saedashboard/test_converter-batch-0.json"));
        assertEquals(36 + 35, conv.size());
        assertEquals(List.of(" reach", " the", " magic"), conv.get(0).tokens().subList(0, 3));
        assertFails(() -> ActivatingExampleFiles.readSaeDashboardBatch(
                Fixtures.path("saedashboard/skipped_indexes.json")), "skipped_indexes.json", "key 'features'",
                "skipped_indexes");
    }

    @Test
    void readsNeuronpediaActivationBatches() throws IOException {
        Path b = dir.resolve("activations/batch-0.jsonl.gz");
        ExplanationFilesTest.gzip(b, "{\"id\":\"a\",\"modelId\":\"gpt2-small\",\"layer\":\"0-res-jb\",\"index\":\"3\","
                + "\"dataSource\":null,\"tokens\":[\"The\",\" cat\"],\"values\":[0,1.25],\"maxValue\":1.25,"
                + "\"minValue\":0,\"maxValueTokenIndex\":1,\"dfaValues\":[],\"dfaMaxValue\":null,"
                + "\"dfaTargetIndex\":null,\"binMin\":-1,\"binMax\":1.25,\"binContains\":-1}\n");
        List<ActivatingExample> e = ActivatingExampleFiles.readNeuronpediaExport(dir);
        assertEquals(List.of(new ActivatingExample(3, List.of("The", " cat"), new float[] {0, 1.25f})), e);
        assertEquals(e, ActivatingExampleFiles.read(dir), "the export root");
        assertEquals(e, ActivatingExampleFiles.read(dir.resolve("activations")), "its activations folder");
        assertEquals(e, ActivatingExampleFiles.read(b), "one batch");
    }

    @Test
    void readsAFolderOfSaeDashboardBatchesAsTheFilesOneByOne() throws IOException {
        Path b0 = Fixtures.path("saedashboard/batch-0.json");
        Path b1 = Fixtures.path("saedashboard/batch-1.json");
        List<ActivatingExample> oneByOne = new ArrayList<>(ActivatingExampleFiles.read(b0));
        oneByOne.addAll(ActivatingExampleFiles.read(b1));
        // As SAEDashboard writes the folder: the batches and skipped_indexes.json, which is not a batch.
        Path out = Files.createDirectories(dir.resolve("dashboard"));
        Files.copy(b0, out.resolve("batch-0.json"));
        Files.copy(b1, out.resolve("batch-1.json"));
        Files.copy(Fixtures.path("saedashboard/skipped_indexes.json"), out.resolve("skipped_indexes.json"));
        List<ActivatingExample> folder = ActivatingExampleFiles.read(out);
        assertEquals(38 + 35 + 52 + 44, folder.size());
        assertEquals(oneByOne, folder);
        assertEquals(folder, ActivatingExampleFiles.readSaeDashboardFolder(out));
    }

    @Test
    void readsSaeDashboardBatchesInNumericOrder() throws IOException {
        Path out = Files.createDirectories(dir.resolve("dashboard"));
        for (int n : new int[] {10, 2, 0, 1}) {
            Files.writeString(out.resolve("batch-" + n + ".json"), "{\"features\":[{\"feature_index\":" + n
                    + ",\"activations\":[{\"tokens\":[\"a\"],\"values\":[1]}]}]}");
        }
        assertEquals(List.of(0, 1, 2, 10), ActivatingExampleFiles.read(out).stream()
                .map(ActivatingExample::feature).toList());
    }

    @Test
    void refusesAFolderOfNeitherLayout() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertFails(() -> ActivatingExampleFiles.read(empty), empty.toString(), "Neuronpedia export",
                "activations/batch-N.jsonl.gz", "SAEDashboard batch files", "batch-0.json", "found an empty folder");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "hello");
        Files.writeString(other.resolve("config.json"), "{}");
        Files.copy(Fixtures.path("saedashboard/skipped_indexes.json"), other.resolve("skipped_indexes.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(other.resolve("activations"));
        assertFails(() -> ActivatingExampleFiles.read(other), other.toString(), "Neuronpedia export",
                "activations/batch-N.jsonl.gz", "SAEDashboard batch files", "batch-0.json",
                "found 4 entries: activations/, config.json, notes.txt, skipped_indexes.json");
        assertFails(() -> ActivatingExampleFiles.readSaeDashboardFolder(other), other.toString(),
                "activations/batch-N.jsonl.gz", "SAEDashboard batch files");
    }

    @Test
    void errorCases() throws IOException {
        Path f = dir.resolve("batch.json");
        Files.writeString(f, "{\"features\":[{\"feature_index\":1,\"activations\":[{\"tokens\":[\"a\",\"b\"],"
                + "\"values\":[1]}]}]}");
        assertFails(() -> ActivatingExampleFiles.readSaeDashboardBatch(f), "features[0].activations[0]",
                "2 values, one per token", "found 1");
        Files.writeString(f, "{\"features\":[{\"feature_index\":1,\"activations\":[{\"tokens\":[\"a\"],"
                + "\"values\":[-0.5]}]}]}");
        assertFails(() -> ActivatingExampleFiles.readSaeDashboardBatch(f), "values[0]", "non-negative", "-0.5");
        Files.writeString(f, "{\"features\":[{\"activations\":[]}]}");
        assertFails(() -> ActivatingExampleFiles.readSaeDashboardBatch(f), "features[0]", "key 'feature_index'");
        Files.writeString(f, "{\"features\":[{\"feature_index\":1,\"activations\":[{\"tokens\":[\"a\"]}]}]}");
        assertFails(() -> ActivatingExampleFiles.readSaeDashboardBatch(f), "tokens/values", "values missing");
    }
}
