package dev.suite.mcp;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The api-key users of the test profile (application.properties, %test). */
public final class TestUsers {

    public static final String ALICE = "alice";
    public static final String BOB = "bob";
    public static final String CAROL = "carol";
    /** Has only the servers of the aggregate tests, so their lists hold nothing else. */
    public static final String DAVE = "dave";
    /** Has only the servers of the OAuth discovery tests, so the aggregate lists nothing else. */
    public static final String ERIN = "erin";

    private TestUsers() {
    }

    public static RequestSpecification as(String user) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + user + "-key")
                .contentType(ContentType.JSON);
    }
}
