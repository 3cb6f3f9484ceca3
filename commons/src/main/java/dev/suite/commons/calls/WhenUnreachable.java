package dev.suite.commons.calls;

import java.util.function.Predicate;

/**
 * For {@code @RetryWhen(exception = WhenUnreachable.class)}: retries a call only when nothing
 * reached the service (connection refused), so even a call that is not idempotent — a tool call —
 * can be retried safely.
 */
public class WhenUnreachable implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable failure) {
        return ServiceFailures.unreachable(failure);
    }
}
