package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.providers.OpenAiShapes;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;

/** What the gateway's Vert.x routes read from a request: the caller, and the JSON body with the 400s every API answers alike. */
public final class GatewayRequests {

    private GatewayRequests() {
    }

    /** The authenticated caller's user id. */
    public static String caller(RoutingContext rc) {
        return ((QuarkusHttpUser) rc.user()).getSecurityIdentity().getPrincipal().getName();
    }

    /** The body as a JSON object: missing, malformed or not an object is a 400. */
    public static ObjectNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw ChatException.invalidRequest("The request body must be a JSON object.");
        }
        JsonNode node;
        try {
            node = OpenAiShapes.JSON.readTree(body);
        } catch (IOException e) {
            throw ChatException.invalidRequest("The request body is not valid JSON.");
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw ChatException.invalidRequest("The request body must be a JSON object.");
    }

    /** Copies a number such as {@code temperature} when given; anything but a number is a 400. */
    public static void copyNumber(JsonNode in, String field, ObjectNode out) {
        JsonNode value = in.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw ChatException.invalidRequest("'" + field + "' must be a number.");
        }
        out.set(field, value);
    }
}
