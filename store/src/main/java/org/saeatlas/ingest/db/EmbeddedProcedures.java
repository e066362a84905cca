package org.saeatlas.ingest.db;

import org.neo4j.dbms.api.DatabaseManagementService;

/**
 * Procedures an embedded DBMS registers when it starts, found with {@link java.util.ServiceLoader}: Graph Data
 * Science comes from the {@code analytics} module ({@code META-INF/services}), so the database layer names no layer
 * above it. With no provider on the classpath (the store's own tests) the DBMS simply has no such procedures.
 */
public interface EmbeddedProcedures {

    /** Starts registering with {@code dbms} (possibly in the background) and returns how to stop it. */
    Registration register(DatabaseManagementService dbms);

    /** A registration that may still be running when the DBMS shuts down. */
    interface Registration {

        /** Stops registering and waits until nothing is left touching the DBMS's registry. */
        void cancelAndAwait();
    }
}
