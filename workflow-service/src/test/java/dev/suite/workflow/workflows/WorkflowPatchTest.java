package dev.suite.workflow.workflows;

import dev.suite.commons.testing.Race;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** PATCH (JSON Merge Patch), round trips of what GET returned, and If-Match / ETag on saves. */
@QuarkusTest
class WorkflowPatchTest {

    private static final String PATH = "/api/workflows/";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    /** Greets its input; output_mappings is an object keyed by output name, so patches merge into it. */
    private static JsonObject greeter(String name) {
        return Graphs.create().input("who", "string", true)
                .node("in", "interface_input", config("name", "who"))
                .node("greet", "text_template", config("template", "Hello {{text}}"))
                .edge("in", "value", "greet", "text")
                .output("greeting", "greet", "text")
                .json().put("name", name).put("description", "says hello");
    }

    private static String create(String user, JsonObject body) {
        return as(user).body(body.encode()).post(PATH).then().statusCode(201).extract().path("workflow_id");
    }

    private static List<Integer> versions(String id) {
        return as(ALICE).get(PATH + id + "/versions").then().statusCode(200).extract().path("version");
    }

    @Test
    void putOfExactlyWhatGetReturnedSavesTheSameWorkflowAsTheNextVersion() {
        String id = create(ALICE, greeter("Round trip"));
        Response read = as(ALICE).get(PATH + id);
        String body = read.asString();
        as(ALICE).body(body).put(PATH + id).then().statusCode(200)
                .body("version", equalTo(2))
                .body("latest_version", equalTo(2))
                .body("name", equalTo("Round trip"))
                .body("description", equalTo("says hello"))
                .body("nodes", equalTo(read.path("nodes")))
                .body("edges", equalTo(read.path("edges")))
                .body("interface_inputs", equalTo(read.path("interface_inputs")))
                .body("output_mappings", equalTo(read.path("output_mappings")))
                .body("created_at", equalTo(read.path("created_at")));
        assertEquals(List.of(2, 1), versions(id));
        // A field of nobody's is still refused, by name, at the top and inside a node.
        as(ALICE).body(body.replaceFirst("\\{", "{\"colour\": \"red\", ")).put(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body(body.replace("\"id\":\"greet\"", "\"id\":\"greet\",\"colour\":\"red\"")).put(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("nodes[1].colour"));
        assertEquals(List.of(2, 1), versions(id));
    }

    @Test
    void patchChangesOnlyTheFieldsItNamesAndSavesANewVersion() {
        String id = create(ALICE, greeter("Patch me"));
        Response read = as(ALICE).get(PATH + id);
        as(ALICE).contentType(MERGE_PATCH).body("{\"description\": \"greets people\"}").patch(PATH + id).then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("description", equalTo("greets people"))
                .body("name", equalTo("Patch me"))
                .body("nodes", equalTo(read.path("nodes")))
                .body("edges", equalTo(read.path("edges")));
        // Plain JSON works too; objects merge member by member, null removes one.
        as(ALICE).body("{\"name\": \"Patched\", \"output_mappings\": {\"echo\": {\"node_id\": \"in\", \"handle\": \"value\"}}}")
                .patch(PATH + id).then().statusCode(200)
                .body("version", equalTo(3))
                .body("name", equalTo("Patched"))
                .body("description", equalTo("greets people"))
                .body("output_mappings.greeting.node_id", equalTo("greet"))
                .body("output_mappings.echo.node_id", equalTo("in"));
        as(ALICE).body("{\"description\": null, \"output_mappings\": {\"greeting\": null}}").patch(PATH + id).then()
                .statusCode(200)
                .body("description", nullValue())
                .body("output_mappings.greeting", nullValue())
                .body("output_mappings.echo.handle", equalTo("value"));
        // Arrays are replaced whole: the nodes sent are the nodes saved.
        List<Map<String, Object>> nodes = read.path("nodes");
        JsonArray changed = new JsonArray();
        nodes.forEach(node -> changed.add(new JsonObject(node)));
        changed.getJsonObject(1).getJsonObject("config").put("template", "Bye {{text}}");
        as(ALICE).body(new JsonObject().put("nodes", changed).encode()).patch(PATH + id).then().statusCode(200)
                .body("version", equalTo(5))
                .body("nodes.find { it.id == 'greet' }.config.template", equalTo("Bye {{text}}"))
                .body("nodes.size()", equalTo(2));
        as(ALICE).get(PATH + id + "?version=1").then()
                .body("nodes.find { it.id == 'greet' }.config.template", equalTo("Hello {{text}}"));
        assertEquals(List.of(5, 4, 3, 2, 1), versions(id));
    }

    @Test
    void thePatchedWorkflowIsValidatedAsAPutWouldBeAndNothingIsWrittenWhenItFails() {
        String id = create(ALICE, greeter("Keep me"));
        String current = as(ALICE).get(PATH + id).asString();
        JsonArray badNodes = new JsonArray()
                .add(new JsonObject().put("id", "in").put("type", "interface_input").put("config", config("name", "who")))
                .add(new JsonObject().put("id", "greet").put("type", "no_such_type"));
        // The same errors as a PUT of the patched workflow, field by field.
        List<Map<String, String>> putErrors = as(ALICE)
                .body(new JsonObject(current).put("name", "").put("nodes", badNodes).encode())
                .put(PATH + id).then().statusCode(400).extract().path("errors");
        as(ALICE).body(new JsonObject().put("name", "").put("nodes", badNodes).encode()).patch(PATH + id).then()
                .statusCode(400).body("errors", equalTo(putErrors)).body("errors.field", equalTo(List.of("name")));
        List<Map<String, String>> graphErrors = as(ALICE).body(new JsonObject().put("nodes", badNodes).encode())
                .patch(PATH + id).then().statusCode(400).extract().path("errors");
        assertEquals(as(ALICE).body(new JsonObject(current).put("nodes", badNodes).encode()).put(PATH + id).then()
                .statusCode(400).extract().path("errors"), graphErrors);
        assertEquals("nodes[1].type", graphErrors.get(0).get("field"));
        as(ALICE).body("{\"output_mappings\": {\"greeting\": {\"handle\": \"nothing\"}}}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("output_mappings.greeting.handle"));
        // A patch that makes the workflow run itself is refused as the PUT of it would be.
        JsonArray selfCall = new JsonArray().add(new JsonObject().put("id", "self").put("type", "sub_workflow")
                .put("config", config("workflow_id", id)));
        as(ALICE).contentType(MERGE_PATCH)
                .body(new JsonObject().put("nodes", selfCall).put("edges", new JsonArray()).put("output_mappings", (Object) null)
                        .encode())
                .patch(PATH + id).then().statusCode(400)
                .body("errors[0].field", equalTo("nodes[0].config.workflow_id"))
                .body("errors[0].message", containsString(id + " → " + id));
        as(ALICE).body("{\"nodes\": \"many\"}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("nodes"));
        as(ALICE).body("{\"colour\": \"red\"}").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(ALICE).body("[{\"op\": \"replace\"}]").patch(PATH + id).then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        assertEquals(List.of(1), versions(id));
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM workflow_version WHERE workflow_id = ?", id));
        as(ALICE).get(PATH + id).then().body("name", equalTo("Keep me")).body("nodes[1].type", equalTo("text_template"));
    }

    @Test
    void anotherUsersWorkflowIsNotFoundWhateverTheBody() {
        String id = create(ALICE, greeter("Alice's"));
        String tag = as(ALICE).get(PATH + id).header("ETag");
        as(BOB).body("{\"name\": \"mine\"}").patch(PATH + id).then().statusCode(404);
        as(BOB).header("If-Match", tag).contentType(MERGE_PATCH).body("{\"name\": \"mine\"}").patch(PATH + id).then()
                .statusCode(404);
        as(BOB).body("{\"name\": \"\"}").patch(PATH + id).then().statusCode(404);
        as(BOB).header("If-None-Match", tag).get(PATH + id).then().statusCode(404);
        as(ALICE).get(PATH + id).then().statusCode(200).body("name", equalTo("Alice's")).header("ETag", equalTo(tag));
    }

    @Test
    void savesNamingAnOlderStateAre412AndTheCurrentOneGoesThrough() {
        Response created = as(ALICE).body(greeter("Tagged").encode()).post(PATH);
        String id = created.path("workflow_id");
        Response read = as(ALICE).get(PATH + id);
        String tag = read.header("ETag");
        assertEquals(created.header("ETag"), tag);
        as(ALICE).header("If-None-Match", tag).get(PATH + id).then().statusCode(304);

        Response changed = as(ALICE).header("If-Match", tag).body("{\"name\": \"Tagged 2\"}").patch(PATH + id);
        changed.then().statusCode(200).header("ETag", not(equalTo(tag)));
        as(ALICE).get(PATH + id).then().header("ETag", equalTo(changed.header("ETag")));
        as(ALICE).header("If-None-Match", tag).get(PATH + id).then().statusCode(200);

        as(ALICE).header("If-Match", tag).body("{\"name\": \"stale\"}").patch(PATH + id).then()
                .statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).header("If-Match", tag).body(read.asString()).put(PATH + id).then()
                .statusCode(412).body("type", equalTo("urn:suite:problem:precondition-failed"));
        as(ALICE).get(PATH + id).then().body("name", equalTo("Tagged 2")).body("version", equalTo(2));
        as(ALICE).header("If-Match", changed.header("ETag")).body(read.asString()).put(PATH + id).then()
                .statusCode(200).body("name", equalTo("Tagged")).body("version", equalTo(3));
        as(ALICE).header("If-Match", "*").contentType(MERGE_PATCH).body("{\"name\": \"Tagged 4\"}").patch(PATH + id).then()
                .statusCode(200).body("version", equalTo(4));
        // expected_version still guards as before, inside a patch as in a PUT.
        as(ALICE).body("{\"name\": \"late\", \"expected_version\": 3}").patch(PATH + id).then().statusCode(409);
        assertEquals(List.of(4, 3, 2, 1), versions(id));
    }

    @Test
    void ofSavesRacingWithTheSameETagExactlyOneWins() throws Exception {
        String id = create(ALICE, greeter("Race"));
        String tag = as(ALICE).get(PATH + id).header("ETag");
        List<Integer> statuses = Race.each(8, caller -> as(ALICE).header("If-Match", tag)
                .body("{\"name\": \"writer " + caller + "\"}")
                .patch(PATH + id).statusCode());
        assertEquals(1, Collections.frequency(statuses, 200), statuses.toString());
        assertEquals(7, Collections.frequency(statuses, 412), statuses.toString());
        assertNotEquals(tag, as(ALICE).get(PATH + id).header("ETag"));
        assertEquals(List.of(2, 1), versions(id));
    }
}
