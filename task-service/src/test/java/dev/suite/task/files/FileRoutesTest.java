package dev.suite.task.files;

import dev.suite.commons.testing.RawHttp;
import dev.suite.task.Files;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test limits: 2 MiB per upload, 3 parts (application.properties). */
@QuarkusTest
class FileRoutesTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void anUploadIsStoredChecksummedAndServedWithRanges() throws Exception {
        byte[] data = bytes(300_000);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        String id = Files.upload(ALICE, "notes.bin", "application/octet-stream", data).statusCode(201)
                .body("items[0].size", equalTo(300_000)).body("items[0].sha256", equalTo(sha))
                .body("items[0].name", equalTo("notes.bin")).extract().path("items[0].file_id");
        byte[] whole = as(ALICE).get("/api/v1/files/" + id).then().statusCode(200)
                .header("X-Checksum-SHA256", sha).header("Accept-Ranges", "bytes").extract().asByteArray();
        assertArrayEquals(data, whole);
        byte[] part = as(ALICE).header("Range", "bytes=100-199").get("/api/v1/files/" + id).then().statusCode(206)
                .header("Content-Range", "bytes 100-199/300000").extract().asByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 200), part);
        byte[] tail = as(ALICE).header("Range", "bytes=-10").get("/api/v1/files/" + id).then().statusCode(206)
                .extract().asByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 10, data.length), tail);
        as(ALICE).header("Range", "bytes=400000-").get("/api/v1/files/" + id).then().statusCode(416)
                .header("Content-Range", "bytes */300000");
        as(BOB).get("/api/v1/files/" + id).then().statusCode(404);
        as(BOB).delete("/api/v1/files/" + id).then().statusCode(404);
        as(ALICE).delete("/api/v1/files/" + id).then().statusCode(204);
        as(ALICE).get("/api/v1/files/" + id).then().statusCode(404);
    }

    /**
     * Bodies the multipart decoder gives up on: each is answered with a 400 problem at once, and
     * neither an open file nor a partial one is left behind.
     */
    @Test
    void malformedMultipartBodiesAreAnsweredAndLeaveNothingBehind() throws Exception {
        Path storage = java.nio.file.Files.createDirectories(Path.of("target/task-files").toAbsolutePath());
        Set<String> before = storedFiles(storage);
        long descriptorsBefore = descriptorsUnder(storage);
        String part = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n";
        String boundary = "x".repeat(10_000);
        Map<String, String[]> bodies = Map.of(
                "unterminated", new String[] {"b", part + "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"b.txt\"\r\n\r\ncut off here"},
                "10 KB file name", new String[] {"b", part.replace("a.txt", "n".repeat(10_000)) + "--b--\r\n"},
                "10 KB boundary", new String[] {boundary, part.replace("--b", "--" + boundary) + "--" + boundary + "--\r\n"});
        for (Map.Entry<String, String[]> body : bodies.entrySet()) {
            RawHttp.Response response = RawHttp.post(RestAssured.port, "/api/v1/files", "127.0.0.1",
                    "multipart/form-data; boundary=" + body.getValue()[0], body.getValue()[1], "Authorization: Bearer alice-key");
            assertTrue(response.status() == 400 || response.status() == 413, body.getKey() + ": " + response.status()
                    + " " + response.body());
            assertTrue(response.header("Content-Type").startsWith("application/problem+json"), body.getKey());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(before, storedFiles(storage), "no partial upload is left");
            assertEquals(descriptorsBefore, descriptorsUnder(storage), "no file is left open");
        });
    }

    private static Set<String> storedFiles(Path storage) throws Exception {
        try (Stream<Path> files = java.nio.file.Files.walk(storage)) {
            return files.filter(java.nio.file.Files::isRegularFile).map(Path::toString).collect(Collectors.toSet());
        }
    }

    /** This JVM's open descriptors onto the storage directory (the service runs in the test's JVM). */
    private static long descriptorsUnder(Path storage) throws Exception {
        try (Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).startsWith(storage);
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void aFilesTypeIsWhatItsBytesSayAndItIsStoredForItsOwnerOnly() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        String declaredHtml = Files.upload(ALICE, "image.png", "text/html", png).statusCode(201)
                .body("items[0].content_type", equalTo("image/png")).extract().path("items[0].file_id");
        // A page declared as an image is served as bytes, never rendered on the suite's origin.
        String page = Files.upload(ALICE, "x.png", "image/png", "<html><script>alert(1)</script></html>".getBytes())
                .statusCode(201).body("items[0].content_type", equalTo("application/octet-stream"))
                .extract().path("items[0].file_id");
        as(ALICE).get("/api/v1/files/" + page).then().statusCode(200)
                .header("Content-Type", "application/octet-stream").header("X-Content-Type-Options", "nosniff");
        Path stored = java.nio.file.Files.walk(Path.of("target/task-files"))
                .filter(f -> f.getFileName().toString().equals(declaredHtml)).findFirst().orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(stored)));
        assertEquals("rwx------", PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(
                Path.of("target/task-files"))));
    }

    @Test
    void aPathThatResolvesToAnotherRouteNeverTakesTheUploadLimit() throws Exception {
        // /api/v1/files/../tasks would be the tasks route under the upload limit's prefix: it is refused
        // before its body is read, as every path with dot-segments is.
        RawHttp.Response response = RawHttp.post(RestAssured.port, "/api/v1/files/../tasks", "127.0.0.1",
                "application/json", "{\"type\": \"noop\", \"params\": {\"pad\": \"" + "x".repeat(1_100_000) + "\"}}",
                "Authorization: Bearer alice-key");
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("'..' segments"), response.body());
        // The tasks route itself takes the JSON limit.
        RawHttp.Response direct = RawHttp.post(RestAssured.port, "/api/v1/tasks", "127.0.0.1",
                "application/json", "{\"type\": \"noop\", \"params\": {\"pad\": \"" + "x".repeat(1_100_000) + "\"}}",
                "Authorization: Bearer alice-key");
        assertEquals(413, direct.status(), direct.body());
    }

    @Test
    void uploadsPastTheLimitsAreRefusedWith413() {
        Files.upload(ALICE, "big.bin", "application/octet-stream", bytes(3 * 1024 * 1024)).statusCode(413)
                .contentType("application/problem+json");
        as(ALICE).contentType("multipart/form-data")
                .multiPart("a", "a.bin", bytes(10), "application/octet-stream")
                .multiPart("b", "b.bin", bytes(10), "application/octet-stream")
                .multiPart("c", "c.bin", bytes(10), "application/octet-stream")
                .multiPart("d", "d.bin", bytes(10), "application/octet-stream")
                .post("/api/v1/files").then().statusCode(413);
        as(ALICE).contentType("application/json").body("{}").post("/api/v1/files").then().statusCode(415);
        // The service still answers normally afterwards.
        Files.upload(ALICE, "small.bin", "application/octet-stream", bytes(10)).statusCode(201);
    }
}
