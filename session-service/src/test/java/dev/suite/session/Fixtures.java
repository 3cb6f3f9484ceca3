package dev.suite.session;

import io.restassured.response.ValidatableResponse;

import java.util.Map;

import static dev.suite.session.TestUsers.as;

/** Sessions and messages made through the API, for tests about something else. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String session(String user, String type) {
        return session(user, Map.of("title", "t", "session_type", type));
    }

    public static String session(String user, Map<String, Object> body) {
        return as(user).body(body).post("/api/sessions").then().statusCode(201).extract().path("session_id");
    }

    public static ValidatableResponse post(String user, String sessionId, Object body) {
        return as(user).body(body).post("/api/sessions/" + sessionId + "/messages").then();
    }

    /** Appends a message and answers its id. */
    public static String message(String user, String sessionId, String role, String content, int tokens) {
        return post(user, sessionId, Map.of("role", role, "content", content, "token_count", tokens))
                .statusCode(201).extract().path("message_id");
    }
}
