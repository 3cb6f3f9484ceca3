package dev.suite.commons.retry;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The suite's {@link Backoff} for Fault Tolerance's {@code @Retry}: put
 * {@code @CustomBackoff(BackoffStrategy.class)} beside it and the {@code @Retry} delay becomes the
 * base. The cap is eight times the base: calls between services retry a few times, and a longer
 * wait would outlast the caller's own patience. One instance serves one invocation, whose retries
 * may run on different threads.
 */
@RegisterForReflection // made by Fault Tolerance per call, also in native images
public class BackoffStrategy implements CustomBackoffStrategy {

    private volatile Backoff backoff = Backoff.of(0, 0);
    private final AtomicInteger attempt = new AtomicInteger();

    @Override
    public void init(long initialDelayInMillis) {
        backoff = new Backoff(Duration.ofMillis(initialDelayInMillis), Duration.ofMillis(initialDelayInMillis * 8));
    }

    @Override
    public long nextDelayInMillis(Throwable exception) {
        return backoff.delay(attempt.incrementAndGet()).toMillis();
    }
}
