package dev.suite.commons.calls;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.function.Predicate;

/**
 * For {@code @RetryWhen(exception = WhenUnreachable.class)}: retries a call only when nothing
 * reached the service (connection refused), so even a call that is not idempotent — a tool call —
 * can be retried safely.
 */
@RegisterForReflection // made by Fault Tolerance per call, also in native images
public class WhenUnreachable implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable failure) {
        return ServiceFailures.unreachable(failure);
    }
}
