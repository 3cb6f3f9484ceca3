package dev.suite.llm.chat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.chat.ChatFixtures.chat;
import static dev.suite.llm.chat.ChatFixtures.openai;
import static dev.suite.llm.chat.ChatFixtures.userMessage;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Providers that misbehave on purpose: a body without end, a line without end, a redirect inward. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class UpstreamLimitsTest {

    private static String model(String behaviour) {
        return behaviour + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBodyWithoutEndEndsTheCallWith502AndTheConnectionIsDropped() {
        String upstream = model("gpt-endless");
        ChatFixtures.Config c = openai(ALICE, upstream);
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(502)
                .body("error.code", equalTo("upstream_too_large"));
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeProviders.CLOSED.contains(upstream));
        // 32 MiB is the limit; what the provider got into socket buffers past it is small.
        assertTrue(FakeProviders.sentKib(upstream) < 48 * 1024, FakeProviders.sentKib(upstream) + " KiB sent");
        chat(ALICE, userMessage("echo", "still here", null));
        as(ALICE).get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aStreamLineWithoutEndEndsTheStreamWithAnError() {
        String upstream = model("gpt-endless");
        ChatFixtures.Config c = openai(ALICE, upstream);
        String body = chat(ALICE, userMessage(c.name(), "Hi", "\"stream\": true")).then().statusCode(200)
                .extract().asString();
        assertTrue(body.contains("upstream_too_large"), body.length() > 500 ? body.substring(0, 500) : body);
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeProviders.CLOSED.contains(upstream));
        assertTrue(FakeProviders.sentKib(upstream) < 16 * 1024, FakeProviders.sentKib(upstream) + " KiB sent");
    }

    @Test
    void aRedirectIsNotFollowed() {
        ChatFixtures.Config c = openai(ALICE, model("gpt-redirect"));
        chat(ALICE, userMessage(c.name(), "Hi", null)).then().statusCode(502).body("error.code", equalTo("upstream_307"));
    }

    @Test
    void metadataAddressesAreRefusedAtRegistrationInEveryMode() {
        for (String url : new String[] {"http://169.254.169.254/v1", "http://[fd00:ec2::254]/v1",
                "http://[::ffff:169.254.169.254]/v1", "http://0.0.0.0:11434"}) {
            as(ALICE).body("{\"name\": \"" + model("meta") + "\", \"provider\": \"openai-compatible\", \"api_url\": \""
                    + url + "\"}").post(PATH).then().statusCode(400)
                    .body("errors.field", hasItem("api_url"))
                    .body("errors.message", hasItem(containsString("must not point at")));
        }
    }
}
