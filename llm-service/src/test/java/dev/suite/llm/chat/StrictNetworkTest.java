package dev.suite.llm.chat;

import dev.suite.commons.testing.ScriptedDns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.chat.ChatFixtures.chat;
import static dev.suite.llm.chat.ChatFixtures.config;
import static dev.suite.llm.chat.ChatFixtures.userMessage;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A shared deployment: a config's api_url reaches no private network, whatever its name resolves to. */
@QuarkusTest
@TestProfile(StrictNetworkTest.Strict.class)
@WithTestResource(FakeProviders.class)
class StrictNetworkTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.outbound.allow-private-networks", "false", "suite.llm.chat.connect-timeout", "1s",
                    "suite.llm.chat.max-retries", "0");
        }
    }

    private static String name() {
        return "strict-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String create(String apiUrl, String model) {
        return as(ALICE).body("{\"name\": \"" + name() + "\", \"provider\": \"openai\", \"api_key\": \""
                        + FakeProviders.OPENAI_KEY + "\", \"api_url\": \"" + apiUrl + "\", \"model\": \"" + model + "\"}")
                .post(PATH).then().statusCode(201).extract().path("name");
    }

    @Test
    void privateAddressLiteralsAreRefusedAtRegistration() {
        for (String url : new String[] {"http://127.0.0.1:11434", "http://10.0.0.5/v1", "http://[::1]:8000/v1",
                "http://100.64.1.1/v1", "http://[64:ff9b::a00:5]/v1"}) {
            as(ALICE).body("{\"name\": \"" + name() + "\", \"provider\": \"ollama\", \"api_url\": \"" + url + "\"}")
                    .post(PATH).then().statusCode(400).body("errors.field", hasItem("api_url"));
        }
    }

    @Test
    void aNameThatResolvesIntoThePrivateNetworkIsRefusedWhenCalled() {
        int port = Integer.parseInt(FakeProviders.base().substring(FakeProviders.base().lastIndexOf(':') + 1));
        String model = "gpt-ok-" + UUID.randomUUID().toString().substring(0, 8);
        String config = create("http://localhost:" + port + "/openai/v1", model);
        chat(ALICE, userMessage(config, "Hi", null)).then().statusCode(502)
                .body("error.code", equalTo("destination_not_allowed"))
                .body("error.message", containsString("loopback or private"));
        assertEquals(0, FakeProviders.calls(model));
    }

    @Test
    void aNameThatRebindsBetweenCheckAndConnectNeverReachesItsSecondAddress() {
        int port = Integer.parseInt(FakeProviders.base().substring(FakeProviders.base().lastIndexOf(':') + 1));
        String model = "gpt-ok-" + UUID.randomUUID().toString().substring(0, 8);
        // Public at the first lookup (a documentation address nothing answers on), loopback after.
        ScriptedDns.script("provider.rebind.test", "192.0.2.10", "127.0.0.1");
        String config = create("http://provider.rebind.test:" + port + "/openai/v1", model);
        chat(ALICE, userMessage(config, "Hi", null)).then().statusCode(502)
                .body("error.code", equalTo("upstream_unreachable"))
                .body("error.message", containsString("could not be reached"));
        assertEquals(1, ScriptedDns.lookups("provider.rebind.test"), "the connection used the one checked answer");
        assertEquals(0, FakeProviders.calls(model), "the private fake provider was never reached");
    }
}
