package dev.suite.workflow.scheduling;

import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The suite's work queue engine for executions: one lane, users served in turn. */
public class ExecutionQueue {

    /** The lane every execution waits in. */
    public static final String LANE = "executions";

    @Produces
    @Singleton
    FairQueue executionQueue(ReactiveRedisDataSource redis, RedisNames names) {
        return new FairQueue(redis, names, "workflow");
    }
}
