package dev.suite.llm;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The api-key users of the test profile (application.properties, %test). */
public final class TestUsers {

    public static final String ALICE = "alice";
    public static final String BOB = "bob";
    public static final String CAROL = "carol";
    /** Reveals keys where other tests reveal none, so the per-user reveal limit is its own. */
    public static final String ERIN = "erin";
    /** Runs under an operator-set limit of 2 requests per minute. */
    public static final String DAVE = "dave";

    private TestUsers() {
    }

    public static RequestSpecification as(String user) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + user + "-key")
                .contentType(ContentType.JSON);
    }
}
