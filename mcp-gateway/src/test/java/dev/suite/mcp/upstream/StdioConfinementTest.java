package dev.suite.mcp.upstream;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shared deployment's stdio servers: users pick from the operator's catalogue (no free-form
 * command), add only the arguments and variables an entry allows, and what runs is confined by
 * bubblewrap (required here, so the test fails rather than passes unconfined where bwrap is
 * missing). A server that tries to read the gateway's environment and master key gets nothing,
 * and its tools still work.
 */
@QuarkusTest
@TestProfile(StdioConfinementTest.Catalogue.class)
class StdioConfinementTest {

    static final Path KEY_FILE = Path.of("target/stdio-confinement/master.key").toAbsolutePath();
    static final String KEY = "c25vb3BpbmctY2FuYXJ5LWtleS0wMTIzNDU2Nzg5YWI=";

    public static class Catalogue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(KEY_FILE.getParent());
                Files.writeString(KEY_FILE, KEY + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("suite.mcp.stdio.allowed-commands", "");
            config.put("suite.mcp.stdio.confinement", "bubblewrap");
            config.put("suite.master-key-file", KEY_FILE.toString());
            config.put("suite.mcp.stdio.catalog.snooping.command", "node");
            config.put("suite.mcp.stdio.catalog.snooping.args", NodeServers.DIR.resolve("snooping-server.mjs").toString());
            config.put("suite.mcp.stdio.catalog.snooping.extra-args", "--label=[a-z]{1,20}");
            config.put("suite.mcp.stdio.catalog.snooping.env", "SNOOP_LABEL");
            return config;
        }
    }

    static String name() {
        return "stdio-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> snooping(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name(), "type", "stdio", "command", "snooping"));
        body.putAll(extra);
        return body;
    }

    @Test
    void aConfinedServerCannotReadTheGatewaysSecretsAndItsToolsStillWork() throws IOException {
        NodeServers.ensureInstalled();
        String id = as(ALICE).body(snooping(Map.of("args", List.of("--label=probe"), "env", Map.of("SNOOP_LABEL", "x"))))
                .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
        as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200).body("tools.name", hasItem("snoop"));

        long gateway = ProcessHandle.current().pid();
        Path homeKey = Path.of(System.getProperty("user.home"), ".suite", "master.key");
        String text = as(ALICE).body(Map.of("pid", gateway, "paths", List.of(KEY_FILE.toString(), homeKey.toString())))
                .post("/api/mcp/servers/" + id + "/tools/snoop/call")
                .then().statusCode(200).extract().path("content[0].text");
        JsonPath found = JsonPath.from(text);

        assertTrue(found.getString("environ").startsWith("error:"), "the gateway's environ was readable: " + text);
        assertFalse(found.getList("pids", Integer.class).contains((int) gateway), "the gateway's process is visible");
        assertFalse(found.getString("files.'" + KEY_FILE + "'").contains(KEY), "the master key file was readable");
        if (Files.isRegularFile(homeKey)) {
            String local = Files.readString(homeKey).trim();
            assertFalse(found.getString("files.'" + homeKey + "'").contains(local), "~/.suite/master.key was readable");
        }
        Set<String> allowed = Set.of("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "PWD", "SNOOP_LABEL");
        assertTrue(allowed.containsAll(found.getList("env_names", String.class)),
                "the server saw more than its clean environment: " + found.getList("env_names"));
    }

    @Test
    void freeFormCommandsAreRefusedOutsideTheCatalogue() {
        as(ALICE).body(Map.of("name", name(), "type", "stdio", "command", "npx", "args", List.of("-c", "sh -c id")))
                .post("/api/mcp/servers").then().statusCode(400)
                .body("errors.field", hasItem("command"))
                .body("errors.find { it.field == 'command' }.message", containsString("catalogue"));
    }

    @Test
    void onlyTheArgumentsAnEntryAllowsAreAccepted() {
        as(ALICE).body(snooping(Map.of("args", List.of("--label=ok", "--eval=process.exit(1)"))))
                .post("/api/mcp/servers").then().statusCode(400)
                .body("errors.field", equalTo(List.of("args")))
                .body("errors[0].message", containsString("--eval=process.exit(1)"));
        as(ALICE).body(snooping(Map.of("cwd", "/tmp")))
                .post("/api/mcp/servers").then().statusCode(400).body("errors.field", equalTo(List.of("cwd")));
    }

    @Test
    void loaderAndInterpreterVariablesAreNeverAccepted() {
        for (String variable : List.of("LD_PRELOAD", "NODE_OPTIONS", "PYTHONPATH", "JAVA_TOOL_OPTIONS",
                "_JAVA_OPTIONS", "DYLD_INSERT_LIBRARIES", "PERL5OPT", "RUBYOPT", "PATH")) {
            as(ALICE).body(snooping(Map.of("env", Map.of(variable, "/tmp/evil"))))
                    .post("/api/mcp/servers").then().statusCode(400)
                    .body("errors.field", equalTo(List.of("env")))
                    .body("errors[0].message", containsString(variable));
        }
        as(ALICE).body(snooping(Map.of("env", Map.of("OTHER_SETTING", "1"))))
                .post("/api/mcp/servers").then().statusCode(400)
                .body("errors[0].message", containsString("not a variable the catalogue entry 'snooping' allows"));
    }
}
