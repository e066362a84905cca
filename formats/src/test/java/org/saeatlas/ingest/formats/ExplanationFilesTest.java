package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explanation files in each tool's layout (rows follow FORMATS.md; no real export row is published). */
class ExplanationFilesTest {
    @TempDir
    Path dir;

    static void gzip(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String npRow(String index, String description, String embedding) {
        return "{\"id\":\"clx1\",\"modelId\":\"gemma-2-2b\",\"layer\":\"12-gemmascope-res-16k\",\"index\":" + index
                + ",\"authorId\":\"a1\",\"description\":\"" + description + "\",\"embedding\":" + embedding
                + ",\"typeName\":\"oai_token-act-pair\",\"explanationModelName\":\"gpt-4o-mini\","
                + "\"umap_x\":1.5,\"umap_y\":-2,\"umap_cluster\":3,\"umap_log_feature_sparsity\":-3.2}\n";
    }

    @Test
    void readsNeuronpediaExportBatchesInOrder() throws IOException {
        Path ex = dir.resolve("v1/gemma-2-2b/12-gemmascope-res-16k/explanations");
        gzip(ex.resolve("batch-10.jsonl.gz"), npRow("\"2048\"", "last batch", "null"));
        gzip(ex.resolve("batch-2.jsonl.gz"), npRow("\"7\"", "the word \\\"former\\\"", "[0.5,-0.25,1e-3]")
                + "\n" + npRow("8", "numbers", "null"));
        List<Explanation> e = ExplanationFiles.read(ex.getParent());
        assertEquals(3, e.size());
        assertEquals(new Explanation(7, "the word \"former\"", "gpt-4o-mini", null, new float[] {0.5f, -0.25f, 1e-3f}),
                e.get(0));
        assertEquals(8, e.get(1).feature());
        assertNull(e.get(1).embedding());
        assertEquals(2048, e.get(2).feature());
        assertEquals(e, ExplanationFiles.readNeuronpediaExport(ex));
    }

    @Test
    void readsDelphiExplanationFiles() throws IOException {
        Path ex = dir.resolve("explanations");
        Files.createDirectories(ex);
        Files.writeString(ex.resolve(".model.layers.10_latent12.txt"), "\"Mentions of cats, often \\\"kitten\\\"\"");
        Files.writeString(ex.resolve(".model.layers.10_latent3.txt"), "\"Closing brackets\"");
        List<Explanation> e = ExplanationFiles.read(ex);
        assertEquals(List.of(new Explanation(3, "Closing brackets", "delphi", null, null),
                new Explanation(12, "Mentions of cats, often \"kitten\"", "delphi", null, null)), e);
        Files.writeString(ex.resolve("layers.5_latent0.txt"), "\"x\"");
        assertFails(() -> ExplanationFiles.readDelphi(ex), "hookpoints [.model.layers.10, layers.5]");
        assertEquals(1, ExplanationFiles.readDelphi(ex, "layers.5").size());
        Files.writeString(ex.resolve("layers.5_latent0.txt"), "Plain text, not JSON");
        assertFails(() -> ExplanationFiles.readDelphi(ex, "layers.5"), "layers.5_latent0.txt", "valid JSON");
        Files.writeString(ex.resolve("layers.5_latent0.txt"), "{\"text\":\"x\"}");
        assertFails(() -> ExplanationFiles.readDelphi(ex, "layers.5"), "one JSON string", "OBJECT");
    }

    @Test
    void readsPlainCsvAndJsonl() throws IOException {
        Path csv = dir.resolve("ex.csv");
        Files.writeString(csv, "feature,text,source,score\r\n4,\"commas, \"\"quotes\"\"\nand lines\",me,0.5\r\n"
                + "2,plain,,\n");
        assertEquals(List.of(new Explanation(4, "commas, \"quotes\"\nand lines", "me", 0.5, null),
                new Explanation(2, "plain", null, null, null)), ExplanationFiles.read(csv));
        Path jsonl = dir.resolve("ex.jsonl");
        Files.writeString(jsonl, "{\"feature\": 1, \"text\": \"a\", \"source\": \"s\", \"score\": 0.9}\n\n"
                + "{\"index\": \"5\", \"description\": \"b\"}\n");
        assertEquals(List.of(new Explanation(1, "a", "s", 0.9, null), new Explanation(5, "b", null, null, null)),
                ExplanationFiles.read(jsonl));
    }

    @Test
    void errorCases() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "feature,text\n1,ok\nx,bad\n");
        assertFails(() -> ExplanationFiles.readCsv(csv), "bad.csv line 3", "column 'feature'", "integer", "'x'");
        Files.writeString(csv, "feature,text\n-1,neg\n");
        assertFails(() -> ExplanationFiles.readCsv(csv), "line 2", "[0, 2^31)", "-1");
        Files.writeString(csv, "id,label\n1,a\n");
        assertFails(() -> ExplanationFiles.readCsv(csv), "header", "'feature'", "[id, label]");
        Files.writeString(csv, "feature,text\n1,a,extra\n");
        assertFails(() -> ExplanationFiles.readCsv(csv), "line 2", "2 fields", "3 fields");
        Files.writeString(csv, "feature,text,score\n1,a,NaN\n");
        assertFails(() -> ExplanationFiles.readCsv(csv), "column 'score'", "finite", "'NaN'");
        Files.writeString(csv, "feature,text\n1,\"unclosed\n");
        assertFails(() -> ExplanationFiles.readCsv(csv), "closing quote");

        Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"feature\": 1, \"text\": \"a\"}\n{\"feature\": 2}\n");
        assertFails(() -> ExplanationFiles.readJsonl(jsonl), "bad.jsonl line 2", "key 'text'", "present");
        Files.writeString(jsonl, "{\"text\": \"a\"}\n");
        assertFails(() -> ExplanationFiles.readJsonl(jsonl), "line 1", "key 'feature'", "keys text");
        Files.writeString(jsonl, "{\"feature\": 1, \"text\": \"a\", \"embedding\": [1, \"x\"]}\n");
        assertFails(() -> ExplanationFiles.readJsonl(jsonl), "line 1", "embedding[1]", "finite");
        Files.writeString(jsonl, "{\"feature\": 1, \"text\": \"a\"\n");
        assertFails(() -> ExplanationFiles.readJsonl(jsonl), "line 1", "valid JSON");

        Path gz = dir.resolve("explanations/batch-0.jsonl.gz");
        gzip(gz, npRow("\"1\"", "x", "null").repeat(50));
        byte[] whole = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(whole, whole.length - 10));
        assertFails(() -> ExplanationFiles.readNeuronpediaExport(dir), "batch-0.jsonl.gz", "gzip", "truncated");
        assertFails(() -> ExplanationFiles.read(dir.resolve("x.txt")), "x.txt", ".csv");
    }
}
