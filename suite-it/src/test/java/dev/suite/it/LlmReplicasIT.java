package dev.suite.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two llm-service replicas from the packaged jar, sharing MySQL and Redis: the limits and budgets
 * of a config hold for the pair, not for each, under concurrent load spread over both.
 */
class LlmReplicasIT {

    private static final Path JAR = Launcher.jar("llm-service");

    private final Launcher launcher = new Launcher();
    private int a;
    private int b;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "needs the JVM package (not built by -Pnative)");
        String database = launcher.freshDatabase("suite_llm");
        String prefix = "it-" + UUID.randomUUID() + ":";
        a = launcher.start("llm-service", database, prefix, Launcher.ALICE_KEY, Map.of()).port();
        b = launcher.start("llm-service", database, prefix, Launcher.ALICE_KEY, Map.of()).port();
    }

    @AfterEach
    void stop() throws InterruptedException {
        launcher.close();
    }

    private static String echo(int port, String limits, String model) throws Exception {
        String created = Launcher.call("POST", port, "/api/llm/configs", "{\"name\":\"echo-" + UUID.randomUUID()
                + "\",\"provider\":\"echo\",\"model\":\"" + model + "\",\"limits\":" + limits + "}", 201);
        Matcher id = Pattern.compile("\"config_id\":\"([^\"]+)\"").matcher(created);
        assertTrue(id.find(), created);
        return id.group(1);
    }

    private static CompletableFuture<HttpResponse<String>> chat(int port, String config) {
        return Launcher.HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer alice-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + config
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestRateHoldsForBothReplicasTogether() throws Exception {
        String config = echo(a, "{\"requests_per_minute\":20}", "echo");
        long minuteBefore = System.currentTimeMillis() / 60_000;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(chat(i % 2 == 0 ? a : b, config));
        }
        int admitted = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            if (response.statusCode() == 200) {
                admitted++;
            } else {
                assertEquals(429, response.statusCode(), response.body());
                assertTrue(response.headers().firstValue("Retry-After").isPresent());
                refused++;
            }
        }
        boolean sameMinute = System.currentTimeMillis() / 60_000 == minuteBefore;
        // Across a minute's turn the sliding window may weigh the earlier calls a hair under whole.
        assertTrue(sameMinute ? admitted == 20 : admitted == 20 || admitted == 21, admitted + " admitted");
        assertEquals(60, admitted + refused);
    }

    @Test
    void aBudgetSpentThroughOneReplicaIsRefusedByTheOther() throws Exception {
        String model = "budget-" + UUID.randomUUID().toString().substring(0, 8);
        // Ten cents a token: "hi there" and its echo, 4 tokens, cost $0.40 a call.
        Launcher.call("PUT", a, "/api/llm/prices/" + model, "{\"input_per_million\":100000,\"output_per_million\":100000}", 200);
        String config = echo(a, "{\"daily_budget_usd\":0.5}", model);
        assertEquals(200, chat(a, config).get().statusCode());
        awaitSpent(b, "0.4");
        assertEquals(200, chat(b, config).get().statusCode(), "$0.40 of $0.50 spent: admitted");
        awaitSpent(a, "0.8");
        HttpResponse<String> refused = chat(a, config).get();
        assertEquals(429, refused.statusCode());
        assertTrue(refused.body().contains("\"budget_exceeded\"") && refused.body().contains("$0.8000 of $0.5"),
                refused.body());
    }

    private static void awaitSpent(int port, String usd) {
        await().untilAsserted(() -> {
            String limits = Launcher.call("GET", port, "/api/llm/limits", null, 200);
            Matcher spent = Pattern.compile("\"spent_today_usd\":([0-9.]+)").matcher(limits);
            assertTrue(spent.find() && new BigDecimal(spent.group(1)).compareTo(new BigDecimal(usd)) == 0,
                    "$" + usd + " spent, as " + limits);
        });
    }
}
