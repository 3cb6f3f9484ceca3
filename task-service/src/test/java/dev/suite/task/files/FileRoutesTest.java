package dev.suite.task.files;

import dev.suite.task.Files;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
