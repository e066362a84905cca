package org.saeatlas.ingest.atlas;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running task's output: every line goes to the task's log file, and the last non-empty line is its current
 * stage, which the build's one progress display shows.
 */
final class TaskOutput extends OutputStream {

    private final OutputStream log;
    private final StringBuilder line = new StringBuilder();
    private volatile String stage = "starting";

    TaskOutput(Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            this.log = Files.newOutputStream(logFile);
        } catch (IOException e) {
            throw new org.saeatlas.errors.AtlasException("cannot write the task log " + logFile + " ("
                    + e.getMessage() + ")", e);
        }
    }

    PrintStream stream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    String stage() {
        return stage;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        log.write(b);
        if (b == '\n') {
            String s = line.toString().trim();
            if (!s.isEmpty()) {
                stage = s;
            }
            line.setLength(0);
        } else if (b != '\r') {
            line.append((char) b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        String s = new String(b, off, len, StandardCharsets.UTF_8);
        log.write(b, off, len);
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\n') {
                String t = line.toString().trim();
                if (!t.isEmpty()) {
                    stage = t;
                }
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        log.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
