package org.saeatlas.archfixture.compute;

import java.nio.file.Files;
import java.nio.file.Path;

/** Bad on purpose (ArchitectureTest): a computation that reads a file. */
public final class Kernel {
    public boolean input(Path p) {
        return Files.exists(p);
    }
}
