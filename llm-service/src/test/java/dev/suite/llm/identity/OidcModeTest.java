package dev.suite.llm.identity;

import dev.suite.llm.TestDb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** suite.auth.mode=oidc: bearer JWTs checked against the issuer's keys; the subject owns the rows. */
@QuarkusTest
@WithTestResource(FakeIssuer.class)
class OidcModeTest {

    private static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    @Test
    void theTokenSubjectOwnsWhatItCreatesAndOthersGet404() {
        String id = bearer(FakeIssuer.token("dave", 300))
                .body("{\"name\": \"%s\", \"provider\": \"echo\"}".formatted(uniqueName("oidc")))
                .post(PATH).then().statusCode(201).extract().path("config_id");
        assertEquals("dave", TestDb.query("select owner_id from llm_config where config_id = ?", id)
                .get(0).get("owner_id"));
        bearer(FakeIssuer.token("dave", 300)).get(PATH + "/" + id).then().statusCode(200);
        bearer(FakeIssuer.token("erin", 300)).get(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void missingForgedAndExpiredTokensAre401Problems() {
        RestAssured.given().get(PATH).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json");
        bearer(FakeIssuer.tokenFromAnotherKey("dave")).get(PATH).then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
        bearer(FakeIssuer.token("dave", -600)).get(PATH).then().statusCode(401);
        bearer("not-a-jwt").get(PATH).then().statusCode(401);
    }
}
