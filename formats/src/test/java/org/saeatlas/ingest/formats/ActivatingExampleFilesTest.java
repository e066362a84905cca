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

    @Test
    void featureCircuitsTopContextsNeedTheDictionaryNamedWhenTheyMixSeveral() {
        java.nio.file.Path file = Fixtures.path("feature_circuits/demo_contexts.json");
        Fixtures.assertFails(() -> ActivatingExampleFiles.read(file, null), "demo_contexts.json",
                "5 dictionaries [attn_5, mlp_0, mlp_4, resid_0, resid_5]", "demo_contexts.json#attn_5");
        List<ActivatingExample> resid5 = ActivatingExampleFiles.read(file.resolveSibling("demo_contexts.json#resid_5"),
                null);
        assertEquals(10, resid5.size());
        ActivatingExample top = resid5.get(0);
        assertEquals(1593, top.feature());
        assertEquals(108, top.tokens().size());
        assertEquals(" fans", top.tokens().get(107));
        assertEquals(9.019737243652344f, top.values()[107], 0f);
        assertEquals(9.019737243652344f, top.maxValue(), 0f);
        Fixtures.assertFails(() -> ActivatingExampleFiles.read(file.resolveSibling("demo_contexts.json#resid_9"), null),
                "#resid_9", "one of the dictionaries");
    }

    @Test
    void saeVisTopActivationsAreSpelledWithTheVocabulary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path file = Fixtures.path("sae_vis/_feature_vis_demo.json");
        Fixtures.assertFails(() -> ActivatingExampleFiles.read(file, null), "token ids only", "--vocab");
        // the gelu-1l tokenizer is not in the fixtures: a stand-in vocabulary that spells id i as "<i>" shows the
        // ids are mapped one to one
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 48262; i++) {
            list.append(i == 0 ? "" : ",").append("\"<").append(i).append(">\"");
        }
        java.nio.file.Path vocab = tmp.resolve("vocab.json");
        java.nio.file.Files.writeString(vocab, list.append("]"));
        List<ActivatingExample> all = ActivatingExampleFiles.read(file, TokenizerVocab.read(vocab));
        assertEquals(640, all.size(), "the 20 top-activation sequences of each of the 32 features");
        ActivatingExample first = all.stream().filter(e -> e.feature() == 3).findFirst().orElseThrow();
        assertEquals(List.of("<1067>", "<3291>", "<481>", "<25087>", "<2012>", "<17371>", "<15>", "<26>", "<3291>",
                "<978>", "<187>"), first.tokens());
        assertEquals(6.1392f, first.values()[5], 0f);
        assertEquals(0.6961f, first.values()[6], 0f);
    }
}
