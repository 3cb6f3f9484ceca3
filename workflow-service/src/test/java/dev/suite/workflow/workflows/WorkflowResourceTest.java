package dev.suite.workflow.workflows;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import dev.suite.workflow.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class WorkflowResourceTest {

    private static Graphs greeter(String template) {
        return Graphs.create().input("who", "string", true)
                .node("in", "interface_input", config("name", "who"))
                .node("greet", "text_template", config("template", template))
                .node("out", "interface_output", config("name", "greeting"))
                .edge("in", "value", "greet", "text").edge("greet", "text", "out", "value");
    }

    private static String create(String user, String name, Graphs graph) {
        return as(user).body(graph.json().put("name", name).encode()).post("/api/workflows")
                .then().statusCode(201).header("Location", containsString("/api/workflows/"))
                .body("version", equalTo(1)).extract().path("workflow_id");
    }

    @Test
    void createReadUpdateKeepsEveryVersion() {
        String id = create(ALICE, "Greeter", greeter("Hello {{text}}"));
        as(ALICE).get("/api/workflows/" + id).then().statusCode(200).body("name", equalTo("Greeter"))
                .body("nodes", hasSize(3)).body("edges", hasSize(2)).body("interface_inputs[0].name", equalTo("who"));
        as(ALICE).body(greeter("Hi {{text}}").json().put("name", "Greeter 2").put("expected_version", 1).encode())
                .put("/api/workflows/" + id).then().statusCode(200).body("version", equalTo(2)).body("name", equalTo("Greeter 2"));
        as(ALICE).get("/api/workflows/" + id + "?version=1").then().statusCode(200)
                .body("nodes.find { it.id == 'greet' }.config.template", equalTo("Hello {{text}}"))
                .body("latest_version", equalTo(2));
        as(ALICE).get("/api/workflows/" + id + "/versions").then().statusCode(200).body("version", equalTo(List.of(2, 1)));
        as(ALICE).get("/api/workflows").then().statusCode(200).body("items.workflow_id", hasItem(id))
                .body("items.find { it.workflow_id == '" + id + "' }.nodes", nullValue());
    }

    @Test
    void anEditOnAStaleVersionIsAConflict() {
        String id = create(ALICE, "Stale", greeter("a {{text}}"));
        as(ALICE).body(greeter("b {{text}}").json().put("name", "x").encode()).put("/api/workflows/" + id).then().statusCode(200);
        as(ALICE).body(greeter("c {{text}}").json().put("name", "y").put("expected_version", 1).encode())
                .put("/api/workflows/" + id).then().statusCode(409).body("detail", containsString("version 2"));
        as(ALICE).get("/api/workflows/" + id + "/versions").then().body("version", equalTo(List.of(2, 1)));
    }

    @Test
    void invalidGraphsAreRefusedWithAnErrorPerNodeAndNothingIsStored() {
        long before = TestDb.count("SELECT COUNT(*) FROM workflow");
        JsonObject body = Graphs.create()
                .node("a", "noop").node("b", "no_such_type").node("t", "text_template")
                .node("llm", "llm_chat", config("model", "m"))
                .node("n", "interface_input", config("name", "n", "bogus", 1))
                .edge("a", "value", "llm", "messages")
                .edge("a", "nothing", "t", "text")
                .json().put("name", "Broken");
        JsonPath problem = as(ALICE).body(body.encode()).post("/api/workflows").then().statusCode(400)
                .body("type", containsString("validation")).extract().jsonPath();
        List<Map<String, String>> errors = problem.getList("errors");
        assertHas(errors, "nodes[1].type", "node b: unknown type 'no_such_type'");
        assertHas(errors, "nodes[2].config", "node t: config.template is required");
        assertHas(errors, "nodes[3].inputs.prompt", "node llm: required input 'prompt' has no edge and no value");
        assertHas(errors, "nodes[4].config", "node n: config.bogus is not a setting of this node type");
        assertHas(errors, "edges[1].source_handle", "node a: no output 'nothing'");
        assertEquals(before, TestDb.count("SELECT COUNT(*) FROM workflow"));
    }

    @Test
    void incompatibleHandlesAndCyclesAreNamed() {
        JsonObject typed = Graphs.create().node("llm", "llm_chat", config("model", "m"), new JsonObject().put("prompt", "hi"))
                .node("t", "text_template", config("template", "{{text}}"))
                .node("reader", "mcp_tool", config("server_id", "s", "tool", "x"))
                .edge("llm", "stream", "t", "text").edge("llm", "usage", "reader", "arguments")
                .json().put("name", "Typed");
        as(ALICE).body(typed.encode()).post("/api/workflows").then().statusCode(400)
                .body("errors.message", hasItem("incompatible handles: llm.stream is stream, t.text takes string"))
                .body("errors", hasSize(1));
        JsonObject loop = Graphs.create().node("a", "noop").node("b", "merge").node("c", "noop").node("d", "noop")
                .edge("a", "value", "b", "a").edge("b", "value", "c", "value").edge("c", "value", "d", "value")
                .edge("d", "value", "b", "b")
                .json().put("name", "Loop");
        as(ALICE).body(loop.encode()).post("/api/workflows").then().statusCode(400)
                .body("errors.message", hasItem(containsString("the graph has a cycle: ")))
                .body("errors.message", hasItem(containsString("b -> c -> d -> b")));
    }

    @Test
    void anotherUsersWorkflowIsNotFound() {
        String id = create(ALICE, "Private", greeter("x {{text}}"));
        as(BOB).get("/api/workflows/" + id).then().statusCode(404);
        as(BOB).get("/api/workflows/" + id + "/versions").then().statusCode(404);
        as(BOB).body(greeter("y {{text}}").json().put("name", "mine").encode()).put("/api/workflows/" + id).then().statusCode(404);
        as(BOB).body("{}").post("/api/workflows/" + id + "/run").then().statusCode(404);
        as(BOB).delete("/api/workflows/" + id).then().statusCode(404);
        as(BOB).get("/api/workflows").then().body("items.workflow_id", org.hamcrest.Matchers.not(hasItem(id)));
        as(ALICE).get("/api/workflows/" + id).then().statusCode(200);
    }

    @Test
    void runningAWorkflowChecksItsInputsAndRunsTheVersionAsked() {
        String id = create(ALICE, "Runner", greeter("Hello {{text}}"));
        as(ALICE).body(greeter("Bye {{text}}").json().put("name", "Runner").encode()).put("/api/workflows/" + id).then().statusCode(200);
        as(ALICE).body("{\"inputs\":{}}").post("/api/workflows/" + id + "/run").then().statusCode(400)
                .body("errors[0].field", equalTo("inputs.who")).body("errors[0].message", equalTo("is required"));
        as(ALICE).body("{\"inputs\":{\"who\":3,\"extra\":1}}").post("/api/workflows/" + id + "/run").then().statusCode(400)
                .body("errors.field", hasItems("inputs.who", "inputs.extra"));
        String latest = as(ALICE).body("{\"inputs\":{\"who\":\"Ann\"}}").post("/api/workflows/" + id + "/run")
                .then().statusCode(202).header("Location", containsString("/api/executions/"))
                .body("status", equalTo("queued")).body("position", notNullValue()).extract().path("execution_id");
        String first = as(ALICE).body("{\"inputs\":{\"who\":\"Ann\"},\"version\":1}").post("/api/workflows/" + id + "/run")
                .then().statusCode(202).extract().path("execution_id");
        assertEquals("Bye Ann", awaitEnd(ALICE, latest).getString("outputs.greeting"));
        JsonPath old = awaitEnd(ALICE, first);
        assertEquals("Hello Ann", old.getString("outputs.greeting"));
        assertEquals(1, old.getInt("workflow_version"));
        // Deleting the workflow leaves the executions and the graph they ran.
        as(ALICE).delete("/api/workflows/" + id).then().statusCode(204);
        as(ALICE).get("/api/workflows/" + id).then().statusCode(404);
        as(ALICE).get("/api/executions/" + first).then().statusCode(200).body("outputs.greeting", equalTo("Hello Ann"));
    }

    @Test
    void theCatalogDescribesEveryBuiltInNode() {
        as(ALICE).get("/api/nodes").then().statusCode(200)
                .body("type", hasItems("interface_input", "interface_output", "text_template", "json_path", "json_transform",
                        "condition", "switch", "merge", "delay", "http_request", "llm_chat", "mcp_tool", "media_task",
                        "sub_workflow", "noop"))
                .body("find { it.type == 'llm_chat' }.outputs.find { it.name == 'stream' }.type", equalTo("stream"))
                .body("find { it.type == 'llm_chat' }.config_schema.required", hasItem("model"))
                .body("find { it.type == 'delay' }.config_schema.properties.on_error.enum", hasItems("stop", "continue", "error_branch"));
        as(ALICE).get("/api/nodes/condition").then().statusCode(200).body("outputs.name", hasItems("true", "false"));
        as(ALICE).get("/api/nodes/nope").then().statusCode(404);
    }

    private static void assertHas(List<Map<String, String>> errors, String field, String messageStart) {
        boolean found = errors.stream().anyMatch(e -> field.equals(e.get("field")) && e.get("message").startsWith(messageStart));
        if (!found) {
            throw new AssertionError("no error " + field + ": " + messageStart + " in " + errors);
        }
    }
}
