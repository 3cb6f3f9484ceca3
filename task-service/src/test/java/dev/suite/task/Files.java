package dev.suite.task;

import io.restassured.response.ValidatableResponse;

import static dev.suite.task.TestUsers.as;

/** Uploads through the API. */
public final class Files {

    private Files() {
    }

    public static ValidatableResponse upload(String user, String name, String contentType, byte[] bytes) {
        return as(user).contentType("multipart/form-data").multiPart("file", name, bytes, contentType)
                .post("/api/v1/files").then();
    }

    public static String uploaded(String user, String name, String contentType, byte[] bytes) {
        return upload(user, name, contentType, bytes).statusCode(201).extract().path("items[0].file_id");
    }
}
