package dev.suite.task.queue;

import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The suite's work queue engine for tasks: one lane per task type. */
public class TaskQueueProducer {

    @Produces
    @Singleton
    FairQueue taskQueue(ReactiveRedisDataSource redis, RedisNames names) {
        return new FairQueue(redis, names, "task");
    }
}
