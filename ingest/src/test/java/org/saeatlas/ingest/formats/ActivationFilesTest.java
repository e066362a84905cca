package org.saeatlas.ingest.formats;

import static org.saeatlas.ingest.formats.Fixtures.assertFails;
import static org.saeatlas.ingest.formats.Fixtures.assertIsMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationFilesTest {
    @TempDir
    Path dir;

    @Test
    void dispatchesOnExtensionThenContent() throws IOException {
        assertIsMatrix(ActivationFiles.read(Fixtures.path("npz/csc_f32_uncompressed.npz")));
        assertIsMatrix(ActivationFiles.read(Fixtures.path("npy/dense_f16_C.npy")));
        Path noExt = dir.resolve("acts");
        Files.copy(Fixtures.path("npz/csr_f64.npz"), noExt);
        assertIsMatrix(ActivationFiles.read(noExt));
        Path npyNoExt = dir.resolve("dense");
        Files.copy(Fixtures.path("npy/dense_f32_C.npy"), npyNoExt);
        assertIsMatrix(ActivationFiles.read(npyNoExt));
    }

    @Test
    void errorCases() throws IOException {
        assertFails(() -> ActivationFiles.read(dir.resolve("nope.npz")), "nope.npz", "to exist", "no such file");
        Path txt = dir.resolve("acts.txt");
        Files.writeString(txt, "1,2,3");
        assertFails(() -> ActivationFiles.read(txt), "acts.txt", ".npz", "'acts.txt'");
        assertFails(() -> ActivationFiles.read(dir), "delphi latent cache", "no such files");
        assertFails(() -> ActivationFiles.read(Fixtures.path("npz/plain_arrays_not_sparse.npz")), "arr_0");
        assertFails(() -> ActivationFiles.read(Fixtures.path("npy/dense_f32_F.npy")), "fortran_order");
    }
}
