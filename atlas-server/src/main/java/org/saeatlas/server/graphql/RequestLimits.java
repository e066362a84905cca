package org.saeatlas.server.graphql;

import graphql.ExecutionResult;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.validation.ValidationError;
import java.time.Duration;
import java.util.List;

/**
 * The limits every GraphQL request runs under, in one instrumentation (graphql-java calls a chain of them on every
 * field): maximum query depth and complexity, checked before execution with graphql-java's own
 * {@link MaxQueryDepthInstrumentation} and {@link MaxQueryComplexityInstrumentation}, and a time limit on the whole
 * request beside the per-query database timeout (each database query may be quick while the request is not).
 * <p>
 * Depth and complexity depend only on the document and the operation (every field costs one, whatever its
 * arguments), unless {@code @skip}/{@code @include} make fields depend on variables: a document without those that
 * passed once is not traversed again. Schema introspection is exempt from the depth limit (see
 * {@link #introspectionOnly}).
 */
final class RequestLimits extends SimplePerformantInstrumentation {

    private static final int REMEMBERED = 1_000;

    private final MaxQueryDepthInstrumentation depth;
    private final MaxQueryComplexityInstrumentation complexity;
    private final Duration limit;
    private final LeastRecentlyUsed<String, Boolean> passed = new LeastRecentlyUsed<>(REMEMBERED);

    RequestLimits(int maxDepth, int maxComplexity, Duration limit) {
        this.depth = new MaxQueryDepthInstrumentation(maxDepth);
        this.complexity = new MaxQueryComplexityInstrumentation(maxComplexity);
        this.limit = limit;
    }

    private record State(long deadlineNanos, InstrumentationState depth, InstrumentationState complexity)
            implements InstrumentationState { }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return new State(System.nanoTime() + limit.toNanos(), stateOf(depth.createStateAsync(parameters)),
                stateOf(complexity.createStateAsync(parameters)));
    }

    /** graphql-java's limit instrumentations make their states asynchronously (already completed), or none. */
    private static InstrumentationState stateOf(java.util.concurrent.CompletableFuture<InstrumentationState> state) {
        return state == null ? null : state.join();
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
                                                                         InstrumentationState state) {
        State s = (State) state;
        depth.beginValidation(parameters, s.depth());
        complexity.beginValidation(parameters, s.complexity());
        return super.beginValidation(parameters, state);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        State s = (State) state;
        String query = parameters.getExecutionContext().getExecutionInput().getQuery();
        String key = query.contains("@skip") || query.contains("@include") ? null
                : parameters.getExecutionContext().getOperationDefinition().getName() + "\u0000" + query;
        if (key == null || passed.get(key) == null) {
            if (!introspectionOnly(parameters.getExecutionContext().getOperationDefinition())) {
                depth.beginExecuteOperation(parameters, s.depth()); // each throws AbortExecutionException over its limit
            }
            complexity.beginExecuteOperation(parameters, s.complexity());
            if (key != null) {
                passed.put(key, Boolean.TRUE);
            }
        }
        return super.beginExecuteOperation(parameters, state);
    }

    @Override
    public InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters,
                                                          InstrumentationState state) {
        if (System.nanoTime() - ((State) state).deadlineNanos() > 0) {
            throw new AbortExecutionException("the request ran longer than its " + limit.toMillis() + " ms limit"
                    + " (atlas.request-timeout) and was stopped at " + parameters.getEnvironment().getExecutionStepInfo()
                    .getPath() + "; ask for fewer features or smaller neighbourhoods per request");
        }
        return super.beginFieldFetch(parameters, state);
    }

    /**
     * An operation that asks only for the schema ({@code __schema}, {@code __type}, {@code __typename}): GraphiQL's
     * introspection query is 13 fields deep, so the data depth limit would refuse it; graphql-java's good-faith
     * introspection check bounds these instead (depth 20, 500 fields, each cyclic field once).
     */
    static boolean introspectionOnly(graphql.language.OperationDefinition operation) {
        return operation.getSelectionSet().getSelections().stream()
                .allMatch(x -> x instanceof graphql.language.Field f && f.getName().startsWith("__"));
    }

    int remembered() {
        return passed.size();
    }
}
