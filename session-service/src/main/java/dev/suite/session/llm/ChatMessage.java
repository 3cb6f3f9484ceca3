package dev.suite.session.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One message of a chat-completions request, in OpenAI's shape ({@code name} tells speakers apart). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ChatMessage(String role, String content, String name) {

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, null);
    }
}
