package dev.suite.commons.calls;

/**
 * Who a call to another service of the suite is made for: the caller's {@code Authorization}
 * header and request id, forwarded so that ownership holds across the suite (DESIGN.md). Kept for
 * work that outlives the request (a summary, a roundtable discussion, a workflow execution).
 */
public record Caller(String ownerId, String authorization, String requestId) {
}
