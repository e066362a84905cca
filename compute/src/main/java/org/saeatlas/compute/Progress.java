package org.saeatlas.compute;

/**
 * Progress callback for long computations. {@code done} of {@code total} units of {@code stage}; implementations
 * decide how often to print. Methods in compute call it but never print themselves.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (stage, done, total) -> { };

    void update(String stage, long done, long total);
}
