package dev.suite.session.summaries;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A summary of a memory session's branch up to {@code last_message_id}; it folds in the summary
 * before it, so {@code covered_messages} counts from the branch's root.
 */
@RegisterForReflection
public record SummaryResponse(
        String summaryId,
        String sessionId,
        String content,
        String firstMessageId,
        String lastMessageId,
        long lastAccToken,
        int coveredMessages,
        Integer tokenCount,
        String llmConfigId,
        Instant createdAt) {
}
