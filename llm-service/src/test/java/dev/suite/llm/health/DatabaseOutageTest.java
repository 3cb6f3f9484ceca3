package dev.suite.llm.health;

import dev.suite.commons.testing.PrivateMariaDb;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * MySQL goes away and comes back: readiness follows it, liveness never flips, API calls that need
 * the database answer 503 (not 500), the chat gateway keeps answering from its config cache, and
 * the usage it could not write is written once the database returns.
 */
@QuarkusTest
@WithTestResource(value = PrivateMariaDb.class, initArgs = @ResourceArg(name = "database", value = "suite_llm_test"))
class DatabaseOutageTest {

    private static int readyStatus() {
        return RestAssured.get("/q/health/ready").statusCode();
    }

    private static long usageRows(String configId) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + PrivateMariaDb.port()
                + "/suite_llm_test", "suite", "suite");
                var st = c.prepareStatement("select count(*) from llm_usage where config_id = ?")) {
            st.setString(1, configId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void serviceAnswers503WhileMysqlIsDownAndRecoversWhenItReturns() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> readyStatus() == 200);
        String name = uniqueName("outage-echo");
        String id = as(ALICE).body("{\"name\": \"" + name + "\", \"provider\": \"echo\"}").post(PATH)
                .then().statusCode(201).extract().path("config_id");
        String chat = "{\"model\": \"" + name + "\", \"messages\": [{\"role\": \"user\", \"content\": \"still here\"}]}";
        as(ALICE).body(chat).post("/v1/chat/completions").then().statusCode(200);

        PrivateMariaDb.stopServer();
        await().atMost(Duration.ofSeconds(30)).until(() -> readyStatus() == 503);
        RestAssured.get("/q/health/live").then().statusCode(200);
        as(ALICE).get(PATH).then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:suite:problem:unavailable"));
        as(ALICE).body("{\"name\": \"x\", \"provider\": \"echo\"}").post(PATH).then().statusCode(503);
        // The config is cached: the gateway goes on answering, and its usage waits in the queue.
        as(ALICE).body(chat).post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo("still here"));
        // A config that is not cached cannot be read: 503 in OpenAI's shape, with Retry-After.
        as(ALICE).body(chat.replace(name, "never-cached")).post("/v1/chat/completions").then().statusCode(503)
                .header("Retry-After", "5")
                .body("error.code", equalTo("service_unavailable"));

        PrivateMariaDb.startServer();
        await().atMost(Duration.ofSeconds(60)).until(() -> readyStatus() == 200);
        as(ALICE).get(PATH + "/" + id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> usageRows(id) == 2);
    }
}
