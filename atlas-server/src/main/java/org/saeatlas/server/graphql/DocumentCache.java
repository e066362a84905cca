package org.saeatlas.server.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorClassification;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated GraphQL documents by query text, least recently used first out: clients send the same few
 * query texts with different variables, and parsing plus validation is a large share of a cheap request. Safe to keep
 * for the life of the process: the schema never changes while the server runs, and the document does not depend on
 * the variables (depth and complexity are checked per execution by {@link RequestLimits}, which remembers a pass per
 * text only where the variables cannot change them).
 *
 * <p>Two checks graphql-java's validator (22.x) leaves to execution, where they failed as HTTP 500: an operation of a
 * type the schema does not have ({@code mutation}, {@code subscription}: the atlas is read-only), and an
 * {@code operationName} the document does not define (or none where it defines several). Both become validation errors.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    /** The atlas's own validation failures, beside graphql-java's {@code ValidationErrorType}s. */
    enum AtlasValidation implements ValidationErrorClassification {
        UnsupportedOperation, UnknownOperationName
    }

    private final LeastRecentlyUsed<String, PreparsedDocumentEntry> documents;
    private final GraphQLSchema schema;

    DocumentCache(int capacity, GraphQLSchema schema) {
        this.documents = new LeastRecentlyUsed<>(capacity);
        this.schema = schema;
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        PreparsedDocumentEntry entry = documents.get(input.getQuery());
        if (entry == null) {
            entry = supportedOperations(parseAndValidate.apply(input)); // outside the lock: two threads may both parse
            documents.put(input.getQuery(), entry);
        }
        return CompletableFuture.completedFuture(entry.hasErrors() ? entry : namedOperation(entry, input));
    }

    /** The entry, or a validation error for each operation whose type the schema lacks. */
    private PreparsedDocumentEntry supportedOperations(PreparsedDocumentEntry entry) {
        if (entry.hasErrors()) {
            return entry;
        }
        List<ValidationError> errors = entry.getDocument().getDefinitionsOfType(OperationDefinition.class).stream()
                .filter(op -> op.getOperation() == OperationDefinition.Operation.MUTATION
                        && schema.getMutationType() == null
                        || op.getOperation() == OperationDefinition.Operation.SUBSCRIPTION
                        && schema.getSubscriptionType() == null)
                .map(op -> ValidationError.newValidationError()
                        .validationErrorType(AtlasValidation.UnsupportedOperation)
                        .sourceLocation(op.getSourceLocation())
                        .description("the atlas's API has no " + op.getOperation().name().toLowerCase(Locale.ROOT)
                                + "s: it is read-only; ask with a query ({ ... } or query { ... })")
                        .build())
                .toList();
        return errors.isEmpty() ? entry : new PreparsedDocumentEntry(errors);
    }

    /** The entry, or a validation error when {@code operationName} does not pick exactly one of its operations. */
    private static PreparsedDocumentEntry namedOperation(PreparsedDocumentEntry entry, ExecutionInput input) {
        List<OperationDefinition> ops = entry.getDocument().getDefinitionsOfType(OperationDefinition.class);
        String name = input.getOperationName();
        List<String> names = ops.stream().map(op -> op.getName() == null ? "(anonymous)" : op.getName()).toList();
        String problem = null;
        if (name != null && !name.isEmpty()) {
            if (ops.stream().noneMatch(op -> name.equals(op.getName()))) {
                problem = "operationName '" + name + "' names no operation of the document, which has " + names;
            }
        } else if (ops.size() > 1) {
            problem = "the document has " + ops.size() + " operations " + names + ": name the one to run in"
                    + " operationName";
        }
        if (problem == null) {
            return entry;
        }
        return new PreparsedDocumentEntry(ValidationError.newValidationError()
                .validationErrorType(AtlasValidation.UnknownOperationName).description(problem).build());
    }

    int size() {
        return documents.size();
    }
}
