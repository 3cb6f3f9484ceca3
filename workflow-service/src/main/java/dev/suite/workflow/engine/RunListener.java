package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.time.Instant;

/**
 * What a run reports as it goes: the execution's recorder (node runs and events) for a top-level
 * run, the enclosing node's progress for a sub-workflow. Called while the engine holds the run's
 * state, so implementations only hand things on.
 */
public interface RunListener {

    void nodeStarted(String nodeId, int attempt, Instant at);

    void nodeEnded(NodeRecord record);

    /** A streaming chunk; completes when the listener can take more (backpressure). */
    Uni<Void> nodeYield(String nodeId, String handle, JsonNode chunk);

    void nodeProgress(String nodeId, Double fraction, String message);

    /** A node waits for a person's decision ({@code request}: what they are shown); the run pauses once nothing else can go on. */
    void nodeWaiting(String nodeId, JsonNode request, Instant at);
}
