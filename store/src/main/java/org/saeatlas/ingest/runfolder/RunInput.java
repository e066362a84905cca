package org.saeatlas.ingest.runfolder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.saeatlas.errors.AtlasException;

/**
 * The input a run was computed from, as run.json records it.
 *
 * @param path     the activation file as the user named it
 * @param sha256   hex SHA-256 of its bytes
 * @param tokens   rows of the activation matrix
 * @param features columns of the activation matrix
 */
public record RunInput(String path, String sha256, int tokens, int features) {

    /** Hashes {@code file} (streamed) and records its shape. */
    public static RunInput of(Path file, int tokens, int features) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int len = in.read(buf); len > 0; len = in.read(buf)) {
                digest.update(buf, 0, len);
            }
            return new RunInput(file.toString(), HexFormat.of().formatHex(digest.digest()), tokens, features);
        } catch (IOException e) {
            throw new AtlasException("run input: cannot read " + file + " to hash it (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new AtlasException("run input: this JVM has no SHA-256", e);
        }
    }
}
