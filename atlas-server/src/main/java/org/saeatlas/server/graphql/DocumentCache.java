package org.saeatlas.server.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated GraphQL documents by query text, least recently used first out: clients send the same few
 * query texts with different variables, and parsing plus validation is a large share of a cheap request. Safe to keep
 * for the life of the process: the schema never changes while the server runs, and the document does not depend on
 * the variables (depth and complexity limits are checked per execution, with the variables).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final Map<String, PreparsedDocumentEntry> documents;

    DocumentCache(int capacity) {
        this.documents = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        PreparsedDocumentEntry entry;
        synchronized (documents) {
            entry = documents.get(input.getQuery());
        }
        if (entry == null) {
            entry = parseAndValidate.apply(input); // outside the lock: two threads may both parse a new text once
            synchronized (documents) {
                documents.put(input.getQuery(), entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    int size() {
        synchronized (documents) {
            return documents.size();
        }
    }
}
