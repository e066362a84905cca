package org.saeatlas.server.graphql;

import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import java.time.Duration;

/**
 * A time limit on a whole GraphQL request, beside the per-query database timeout: a request that is still fetching
 * fields when its deadline passes is aborted with one clear error instead of running on (each of its database
 * queries may be quick while the request as a whole is not).
 */
final class RequestDeadline extends SimplePerformantInstrumentation {

    private final Duration limit;

    RequestDeadline(Duration limit) {
        this.limit = limit;
    }

    private record Deadline(long nanos) implements InstrumentationState { }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return new Deadline(System.nanoTime() + limit.toNanos());
    }

    @Override
    public InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters,
                                                          InstrumentationState state) {
        if (state instanceof Deadline d && System.nanoTime() - d.nanos() > 0) {
            throw new AbortExecutionException("the request ran longer than its " + limit.toMillis() + " ms limit"
                    + " (atlas.request-timeout) and was stopped at " + parameters.getEnvironment().getExecutionStepInfo()
                    .getPath() + "; ask for fewer features or smaller neighbourhoods per request");
        }
        return super.beginFieldFetch(parameters, state);
    }
}
