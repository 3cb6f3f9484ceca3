package dev.suite.session.messages;

import dev.suite.session.Fixtures;
import dev.suite.session.TestDb;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class MessageResourceTest {

    @Test
    void appendChainsMessagesAndKeepsARunningTokenTotal() {
        String session = Fixtures.session(ALICE, "agent");
        String first = Fixtures.message(ALICE, session, "user", "hi", 3);
        Map<String, Object> answer = new HashMap<>();
        answer.put("role", "assistant");
        answer.put("content", "hello");
        answer.put("thinking", "be nice");
        answer.put("token_count", 5);
        answer.put("tool_calls", List.of(Map.of("id", "c1", "type", "function",
                "function", Map.of("name", "echo", "arguments", "{}"))));
        answer.put("ext", Map.of("model", "m"));
        Fixtures.post(ALICE, session, answer).statusCode(201)
                .body("parent_id", equalTo(first)).body("acc_token", equalTo(8))
                .body("thinking", equalTo("be nice")).body("tool_calls[0].function.name", equalTo("echo"))
                .body("ext.model", equalTo("m")).body("mcpdetail", nullValue());
    }

    @Test
    void aBatchChainsInOrderAndAnswersItems() {
        String session = Fixtures.session(ALICE, "agent");
        List<Map<String, Object>> batch = List.of(
                Map.of("role", "system", "content", "rules", "token_count", 1),
                Map.of("role", "user", "content", "q", "token_count", 2),
                Map.of("role", "assistant", "content", "a", "token_count", 4));
        var items = Fixtures.post(ALICE, session, batch).statusCode(201).extract();
        List<Integer> acc = items.path("items.acc_token");
        assertEquals(List.of(1, 3, 7), acc);
        assertEquals((String) items.path("items[0].message_id"), items.path("items[1].parent_id"));
        assertEquals((String) items.path("items[1].message_id"), items.path("items[2].parent_id"));
    }

    @Test
    void clientIdsMakeAppendsIdempotent() {
        String session = Fixtures.session(ALICE, "agent");
        Map<String, Object> m = Map.of("message_id", "client-1", "role", "user", "content", "once", "token_count", 2);
        Fixtures.post(ALICE, session, m).statusCode(201).body("message_id", equalTo("client-1"));
        Fixtures.post(ALICE, session, m).statusCode(200).body("message_id", equalTo("client-1"));
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM chat_message WHERE session_id = ?", session));
        // The same id in another session, or another user's, is taken.
        String other = Fixtures.session(ALICE, "agent");
        Fixtures.post(ALICE, other, m).statusCode(409);
        String bobs = Fixtures.session(BOB, "agent");
        Fixtures.post(BOB, bobs, m).statusCode(409);
        Fixtures.post(ALICE, session, List.of(Map.of("message_id", "dup", "role", "user"),
                Map.of("message_id", "dup", "role", "user"))).statusCode(400)
                .body("errors.field", hasItems("[1].message_id"));
    }

    @Test
    void regeneratingMakesASiblingAndLeafReturnsOneBranch() {
        String session = Fixtures.session(ALICE, "agent");
        String q = Fixtures.message(ALICE, session, "user", "question", 2);
        String a1 = Fixtures.message(ALICE, session, "assistant", "first answer", 10);
        String a2 = Fixtures.post(ALICE, session, Map.of("role", "assistant", "content", "second answer",
                "token_count", 20, "parent_id", q)).statusCode(201).body("acc_token", equalTo(22))
                .extract().path("message_id");
        String followUp = Fixtures.message(ALICE, session, "user", "more", 1);
        as(ALICE).get("/api/messages/" + followUp).then().body("parent_id", equalTo(a2)).body("acc_token", equalTo(23));
        as(ALICE).queryParam("leaf", a1).get("/api/sessions/" + session + "/messages").then().statusCode(200)
                .body("items.message_id", contains(q, a1));
        as(ALICE).queryParam("leaf", followUp).get("/api/sessions/" + session + "/messages").then()
                .body("items.message_id", contains(q, a2, followUp));
        as(ALICE).queryParam("leaf", followUp).queryParam("limit", 2).get("/api/sessions/" + session + "/messages")
                .then().body("items.message_id", contains(a2, followUp)).body("next_before", equalTo(a2));
        Map<String, Object> root = new HashMap<>();
        root.put("role", "user");
        root.put("content", "fresh start");
        root.put("parent_id", null);
        Fixtures.post(ALICE, session, root).statusCode(201).body("parent_id", nullValue()).body("acc_token", equalTo(0));
        Fixtures.post(ALICE, session, Map.of("role", "user", "parent_id", "not-here")).statusCode(400)
                .body("errors.field", hasItems("parent_id"));
        as(ALICE).queryParam("leaf", "not-here").get("/api/sessions/" + session + "/messages").then().statusCode(400);
    }

    @Test
    void editingATokenCountShiftsTheTotalsBelowIt() {
        String session = Fixtures.session(ALICE, "agent");
        String a = Fixtures.message(ALICE, session, "user", "a", 1);
        String b = Fixtures.message(ALICE, session, "assistant", "b", 2);
        String c = Fixtures.message(ALICE, session, "user", "c", 4);
        as(ALICE).body(Map.of("token_count", 12, "content", "bee")).put("/api/messages/" + b).then().statusCode(200)
                .body("acc_token", equalTo(13)).body("content", equalTo("bee")).body("role", equalTo("assistant"));
        as(ALICE).get("/api/messages/" + c).then().body("acc_token", equalTo(17));
        as(ALICE).body(Map.of("tool_calls", "not a list")).put("/api/messages/" + b).then().statusCode(400)
                .body("errors.field", hasItems("tool_calls"));
        // Deleting b moves c under a and takes b's tokens off c's total.
        as(ALICE).delete("/api/messages/" + b).then().statusCode(204);
        as(ALICE).get("/api/messages/" + c).then().body("parent_id", equalTo(a)).body("acc_token", equalTo(5));
        as(ALICE).get("/api/messages/" + b).then().statusCode(404);
    }

    @Test
    void pagesStayCorrectWhileMessagesAreInserted() throws Exception {
        String session = Fixtures.session(ALICE, "agent");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(Fixtures.message(ALICE, session, "user", "m" + i, 1));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<Integer> written = writer.submit(() -> {
            int n = 0;
            while (!stop.get()) {
                Fixtures.message(ALICE, session, "assistant", "new", 1);
                n++;
            }
            return n;
        });
        try {
            // Newest page first; every older page continues exactly where the last one ended.
            ExtractableResponse<Response> first = as(ALICE).queryParam("limit", 7)
                    .get("/api/sessions/" + session + "/messages").then().statusCode(200).extract();
            List<String> seen = new ArrayList<>(first.path("items.message_id"));
            String before = first.path("next_before");
            while (before != null) {
                ExtractableResponse<Response> page = as(ALICE).queryParam("limit", 7).queryParam("before", before)
                        .get("/api/sessions/" + session + "/messages").then().statusCode(200).extract();
                List<String> items = page.path("items.message_id");
                seen.addAll(0, items);
                before = page.path("next_before");
            }
            int cut = seen.indexOf(ids.get(29));
            assertEquals(ids, seen.subList(0, cut + 1));
            assertEquals(seen.size(), seen.stream().distinct().count());
        } finally {
            stop.set(true);
            assertTrue(written.get() >= 0);
            writer.shutdown();
        }
        as(ALICE).queryParam("before", "zzz").get("/api/sessions/" + session + "/messages").then().statusCode(400);
        as(ALICE).queryParam("limit", 0).get("/api/sessions/" + session + "/messages").then().statusCode(400);
    }

    @Test
    void concurrentAppendsToOneSessionFormOneChain() throws Exception {
        String session = Fixtures.session(ALICE, "agent");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                sent.add(pool.submit(() -> Fixtures.message(ALICE, session, "user", "burst " + n, 1)));
            }
            for (Future<String> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM (SELECT parent_id FROM chat_message WHERE session_id = ? "
                + "GROUP BY parent_id HAVING COUNT(*) > 1) forks", session));
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM chat_message WHERE session_id = ? AND parent_id IS NULL", session));
        assertEquals(40, TestDb.count("SELECT MAX(acc_token) FROM chat_message WHERE session_id = ?", session));
    }

    @Test
    void oversizedFieldsAreRefusedWith413AndNothingIsWritten() {
        String session = Fixtures.session(ALICE, "agent");
        Fixtures.post(ALICE, session, Map.of("role", "user", "content", "x".repeat(70_000))).statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("content"));
        Fixtures.post(ALICE, session, List.of(Map.of("role", "user", "content", "fine"),
                Map.of("role", "user", "content", "y".repeat(70_000)))).statusCode(413);
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM chat_message WHERE session_id = ?", session));
        Fixtures.post(ALICE, session, Map.of("role", "wizard")).statusCode(400).body("errors.field", hasItems("role"));
        Fixtures.post(ALICE, session, "[]").statusCode(400);
        Fixtures.post(ALICE, session, Map.of("role", "user", "ext", List.of(1))).statusCode(400)
                .body("errors.field", hasItems("ext"));
    }

    @Test
    void searchFindsTheCallersMessagesNewestFirstWithTheSessionTitle() {
        String s1 = Fixtures.session(ALICE, Map.of("title", "Cooking", "session_type", "agent"));
        String s2 = Fixtures.session(ALICE, Map.of("title", "Travel", "session_type", "agent"));
        String older = Fixtures.message(ALICE, s1, "user", "how long to boil zucchinis", 1);
        String newer = Fixtures.message(ALICE, s2, "assistant", "Zucchini bread for the train", 1);
        Fixtures.message(ALICE, s2, "assistant", "nothing relevant", 1);
        String bobs = Fixtures.session(BOB, "agent");
        Fixtures.message(BOB, bobs, "user", "zucchini for bob", 1);
        as(ALICE).queryParam("q", "zucchini").get("/api/messages/search").then().statusCode(200)
                .body("items.message.message_id", contains(newer, older))
                .body("items.session_title", contains("Travel", "Cooking"));
        as(ALICE).queryParam("q", "zucchini").queryParam("limit", 1).get("/api/messages/search").then()
                .body("items.message.message_id", contains(newer)).body("next_before", equalTo(newer));
        as(ALICE).queryParam("q", "zucchini +-~\"(").queryParam("before", newer).get("/api/messages/search").then()
                .statusCode(200).body("items.message.message_id", contains(older));
        as(ALICE).queryParam("q", "a of").get("/api/messages/search").then().statusCode(400);
    }
}
