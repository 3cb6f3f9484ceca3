package dev.suite.workflow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code suite.workflow.*}: scheduling, engine bounds and limits of workflow-service. */
@ConfigMapping(prefix = "suite.workflow")
public interface WorkflowSettings {

    /** Executions running at once across all replicas. */
    @WithDefault("64")
    int globalMaxRunning();

    /** Executions of one user running at once across all replicas (0: no limit beyond the global one). */
    @WithDefault("0")
    int maxRunningPerUser();

    /** Executions this replica runs at once (it takes no more from the queue). */
    @WithDefault("32")
    int replicaMaxRunning();

    /** Nodes of one execution running at once: independent branches run concurrently up to this. */
    @WithDefault("8")
    int nodeConcurrency();

    /** How long a running execution's lease lasts without renewal (renewed every third of it). */
    @WithDefault("30s")
    Duration lease();

    /** How often one replica looks for expired leases and for executions Redis lost. */
    @WithDefault("5s")
    Duration reconcileInterval();

    /** What happens to the executions of a replica that died: resume (from their completed nodes) or fail. */
    @WithDefault("resume")
    String onReplicaLoss();

    /** Resumes after replica loss before an execution is failed instead. */
    @WithDefault("3")
    int maxResumes();

    /** A node's time limit unless its config sets {@code timeout_ms}. */
    @WithDefault("5m")
    Duration nodeTimeout();

    /** Node outputs larger than this (serialized) are stored apart and shown by reference. */
    @WithDefault("65536")
    int inlineOutputBytes();

    /** Nodes of one graph. */
    @WithDefault("5000")
    int maxNodes();

    /** Items of one streaming output buffered between producer and consumers before the producer waits. */
    @WithDefault("64")
    int streamBuffer();

    /** How deep sub-workflows may nest. */
    @WithDefault("5")
    int maxDepth();

    /** Node runs one execution may make, its sub-workflows' included (retries count too). */
    @WithDefault("10000")
    int maxNodeRuns();

    /** Unfinished executions one user may have (429 past it). */
    @WithDefault("10000")
    int maxActivePerUser();

    /** Executions one POST /api/executions/batch may queue. */
    @WithDefault("1000")
    int maxExecutionsPerRequest();

    /** Executions one user may submit per minute (429 with Retry-After past it). */
    @WithDefault("6000")
    int submitsPerMinute();

    /** Execution events kept for replay per execution, and for how long. */
    @WithDefault("10000")
    int replaySize();

    @WithDefault("24h")
    Duration replayTtl();


    /** Triggers (schedules, webhooks, event triggers) a user may have. */
    @WithDefault("1000")
    int maxTriggersPerUser();

    /**
     * How late a schedule's tick may fire and still count as on time; a later one (the suite was
     * down) follows the trigger's {@code missed} policy.
     */
    @WithDefault("1m")
    Duration scheduleGrace();

    /** How long a replica holds a due schedule it took before another may take it (the first one died). */
    @WithDefault("30s")
    Duration scheduleLease();

    /** The longest a webhook call waits for its run's outputs before it is answered 202. */
    @WithDefault("30s")
    Duration webhookMaxWait();

    /** How far a webhook signature's timestamp may be from now: older calls are refused as replays. */
    @WithDefault("5m")
    Duration webhookTolerance();

    /** How long node outputs are kept for reuse by runs with the same node config and inputs. */
    @WithDefault("7d")
    Duration nodeCacheTtl();
}
