package org.saeatlas.server.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated GraphQL documents by query text, least recently used first out: clients send the same few
 * query texts with different variables, and parsing plus validation is a large share of a cheap request. Safe to keep
 * for the life of the process: the schema never changes while the server runs, and the document does not depend on
 * the variables (depth and complexity are checked per execution by {@link RequestLimits}, which remembers a pass per
 * text only where the variables cannot change them).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final LeastRecentlyUsed<String, PreparsedDocumentEntry> documents;

    DocumentCache(int capacity) {
        this.documents = new LeastRecentlyUsed<>(capacity);
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        PreparsedDocumentEntry entry = documents.get(input.getQuery());
        if (entry == null) {
            entry = parseAndValidate.apply(input); // outside the lock: two threads may both parse a new text once
            documents.put(input.getQuery(), entry);
        }
        return CompletableFuture.completedFuture(entry);
    }

    int size() {
        return documents.size();
    }
}
