package dev.suite.session.summaries;

import dev.suite.session.messages.dto.MessageResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** What a client sends a model as history: the latest summary on the branch, then the messages after it. */
@RegisterForReflection
public record ContextResponse(SummaryResponse summary, List<MessageResponse> messages) {
}
