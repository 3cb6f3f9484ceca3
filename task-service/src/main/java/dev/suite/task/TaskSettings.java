package dev.suite.task;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** {@code suite.task.*}: queue, workers, limits and tools of task-service. */
@ConfigMapping(prefix = "suite.task")
public interface TaskSettings {

    /** Task workers of this replica ({@code MAX_WORKERS}). */
    @WithDefault("4")
    int maxWorkers();

    /**
     * Batch parents this replica runs at once. They only wait for their children, so they have
     * slots of their own: a batch never takes the worker its items need.
     */
    @WithDefault("16")
    int maxCoordinators();

    /**
     * Per-type caps of this replica ({@code suite.task.max-workers-by-type.video=1},
     * {@code SUITE_TASK_MAX_WORKERS_BY_TYPE_VIDEO=1}); types not listed share max-workers.
     */
    Map<String, Integer> maxWorkersByType();

    /** Largest JSON body, in bytes (413 past it); uploads have their own limit. */
    @WithDefault("1048576")
    long maxJsonBytes();

    /** Tasks running at once across all replicas (batch parents, which only coordinate, are not counted). */
    @WithDefault("64")
    int globalMaxRunning();

    /**
     * Tasks of one user running at once across all replicas (0: no limit beyond the global one).
     * Batch parents are not counted. A user at the limit keeps their turn in the queue.
     */
    @WithDefault("0")
    int maxRunningPerUser();

    /** How long a running task's lease lasts without a heartbeat (heartbeats come every third of it). */
    @WithDefault("30s")
    Duration lease();

    /** How often one replica looks for expired leases, due retries and ready tasks missing from Redis. */
    @WithDefault("5s")
    Duration reconcileInterval();

    @WithDefault("2s")
    Duration retryBaseDelay();

    @WithDefault("5m")
    Duration retryMaxDelay();

    /** How far ahead a task's run_at may be. */
    @WithDefault("366d")
    Duration maxDelay();

    @WithDefault("300")
    int defaultTimeoutSeconds();

    @WithDefault("86400")
    int maxTimeoutSeconds();

    @WithDefault("3")
    int defaultMaxRetries();

    @WithDefault("25")
    int maxRetriesLimit();

    /** Tasks a user may create per minute (429 with Retry-After past it). */
    @WithDefault("600")
    int createsPerMinute();

    /** Tasks a user may have unfinished at once (429 past it). */
    @WithDefault("10000")
    int maxActivePerUser();

    /** How long a task's unique_key holds when the request does not say. */
    @WithDefault("1h")
    Duration uniqueWindow();

    /** The longest unique_for_seconds a request may ask. */
    @WithDefault("30d")
    Duration maxUniqueWindow();

    /** Schedules (recurring tasks) a user may have. */
    @WithDefault("1000")
    int maxSchedulesPerUser();

    /**
     * How late a schedule's tick may be handled and still count as on time; a later one (the suite
     * was down) follows the schedule's {@code missed} policy.
     */
    @WithDefault("1m")
    Duration scheduleGrace();

    /** How long a replica holds a due schedule it took before another replica may take it (the first one died). */
    @WithDefault("30s")
    Duration scheduleLease();

    /** Tasks one POST /api/v1/tasks/batch may queue. */
    @WithDefault("1000")
    int maxTasksPerRequest();

    /** Items of one batch. */
    @WithDefault("1000")
    int maxBatchItems();

    Files files();

    Media media();

    Replay replay();

    /** What /ws/tasks replays to a client that reconnects with its last event id. */
    interface Replay {

        /** Task state events kept per user. */
        @WithDefault("10000")
        int size();

        /** A user's replay log is dropped after this long without events. */
        @WithDefault("24h")
        Duration ttl();
    }

    interface Files {

        /** Where files are kept (a PersistentVolume in Kubernetes). */
        @WithDefault("${user.home}/.suite/task-files")
        String directory();

        /** Largest upload, in bytes (413 past it). */
        @WithDefault("536870912")
        long maxBytes();

        /** Most parts (files and fields) in one multipart upload (413 past it). */
        @WithDefault("10")
        int maxParts();

        /** Bytes one user's files may take, uploads and task outputs together (413 past it). */
        @WithDefault("10737418240")
        long maxStoredBytesPerUser();
    }

    interface Media {

        @WithDefault("ffmpeg")
        String ffmpeg();

        @WithDefault("ffprobe")
        String ffprobe();

        /** Largest image to decode, in pixels: a bound on memory (a 12 MP photo is 12 000 000). */
        @WithDefault("100000000")
        long maxImagePixels();

        /** Largest image an operation may make, in pixels (about 4 bytes each in memory). */
        @WithDefault("50000000")
        long maxOutputPixels();
    }
}
