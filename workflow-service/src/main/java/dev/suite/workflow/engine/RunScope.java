package dev.suite.workflow.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a run sits in its execution: how deep among sub-workflows, which saved workflows lead to
 * it (a sub-workflow already on that chain would run itself again, without end), and the node
 * budget the whole execution shares — sub-workflows that fan out cannot multiply work past it.
 */
public record RunScope(int depth, List<String> workflows, AtomicInteger nodeRunsLeft) {

    /** The scope of an execution: of a saved workflow ({@code workflowId}) or of an inline graph (null). */
    public static RunScope root(String workflowId, int maxNodeRuns) {
        return new RunScope(0, workflowId == null ? List.of() : List.of(workflowId), new AtomicInteger(maxNodeRuns));
    }

    /** The scope of a sub-workflow of this run. */
    public RunScope nested(String workflowId) {
        List<String> chain = new ArrayList<>(workflows);
        chain.add(workflowId);
        return new RunScope(depth + 1, List.copyOf(chain), nodeRunsLeft);
    }

    /** Whether the workflow already leads to this run: {@code a → b → a} when it does, else null. */
    public String cycleThrough(String workflowId) {
        if (!workflows.contains(workflowId)) {
            return null;
        }
        List<String> cycle = new ArrayList<>(workflows.subList(workflows.indexOf(workflowId), workflows.size()));
        cycle.add(workflowId);
        return String.join(" → ", cycle);
    }

    /** Takes one node run from the execution's budget; false once it is spent. */
    public boolean takeNodeRun() {
        return nodeRunsLeft.getAndDecrement() > 0;
    }
}
