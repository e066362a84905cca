package org.saeatlas.ingest.formats;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads a whole UTF-8 text file, gunzipping {@code .gz}; truncated gzip and bad UTF-8 are reported, not ignored. */
final class TextLines {
    private TextLines() {
    }

    static String read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT)))) {
            StringBuilder s = new StringBuilder();
            char[] buf = new char[1 << 16];
            for (int n; (n = r.read(buf)) > 0;) {
                s.append(buf, 0, n);
            }
            return s.toString();
        } catch (NoSuchFileException e) {
            throw FormatError.of(file, "file", "to exist", "no such file");
        } catch (EOFException e) {
            throw FormatError.of(file, "gzip stream", "a complete gzip file", "it ends early; the file is truncated");
        } catch (ZipException e) {
            throw FormatError.of(file, "gzip stream", "valid gzip data", "corrupt data (" + e.getMessage() + ")");
        } catch (CharacterCodingException e) {
            throw FormatError.of(file, "text", "UTF-8", "bytes that are not UTF-8");
        } catch (IOException e) {
            throw FormatError.io(file, "read the text file", e);
        }
    }
}
