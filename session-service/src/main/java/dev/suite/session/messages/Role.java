package dev.suite.session.messages;

/** Who wrote a message, in OpenAI's chat vocabulary. */
public final class Role {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String SYSTEM = "system";
    public static final String TOOL = "tool";
    public static final String PATTERN = "user|assistant|system|tool";

    private Role() {
    }
}
