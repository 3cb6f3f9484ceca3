package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.providers.OpenAiShapes;
import io.vertx.core.http.HttpServerResponse;

/** Errors on {@code /v1/*} in OpenAI's shape, so OpenAI client libraries report them properly. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    public static String body(ChatException e) {
        ObjectNode root = OpenAiShapes.object();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.putNull("param");
        if (e.code() == null) {
            error.putNull("code");
        } else {
            error.put("code", e.code());
        }
        return root.toString();
    }

    public static void write(HttpServerResponse response, ChatException e) {
        e.answer(response, body(e));
    }
}
