package dev.suite.session.messages.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Several messages in one answer: an appended batch in request order, or the results of a tool execution. */
@RegisterForReflection
public record MessageBatchResponse(@Schema(required = true) List<MessageResponse> items) {
}
