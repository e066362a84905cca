package org.saeatlas.server.store;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * One low-priority daemon thread that builds a derived index (run projections, the search index) while requests
 * are served from Neo4j, with a count of builds queued or running that tests and the benchmark can wait on.
 */
final class BackgroundBuilds implements AutoCloseable {

    /** A build that may fail with any exception. */
    interface Build {
        void run() throws Exception;
    }

    private final ExecutorService thread;
    private final AtomicInteger pending = new AtomicInteger();
    private final Logger log;

    BackgroundBuilds(String name, Logger log) {
        this.log = log;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** Queues {@code build}; a failure is logged with {@code what} and {@code onFailure} runs. */
    void submit(String what, Build build, Runnable onFailure) {
        pending.incrementAndGet();
        thread.execute(() -> {
            try {
                build.run();
            } catch (Exception e) {
                log.warn("could not build {} (reads stay on Neo4j): {}", what, e.getMessage());
                onFailure.run();
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Waits until no build is queued or running; true if that happened within {@code timeout}. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
