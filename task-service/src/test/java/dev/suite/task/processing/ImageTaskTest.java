package dev.suite.task.processing;

import dev.suite.task.Files;
import dev.suite.task.Images;
import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ImageTaskTest {

    private static JsonPath process(String fileId, Map<String, Object> params) {
        String id = as(ALICE).body(Map.of("input_file_ids", List.of(fileId), "params", params))
                .post("/api/v1/process/image").then().statusCode(201).extract().path("task_id");
        return Tasks.awaitState(ALICE, id, "COMPLETED");
    }

    private static BufferedImage download(String fileId) throws Exception {
        byte[] bytes = as(ALICE).get("/api/v1/files/" + fileId).then().statusCode(200).extract().asByteArray();
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void everyFormatIsReadAndWritten() throws Exception {
        for (String format : List.of("png", "jpg", "gif", "bmp", "tiff")) {
            String file = Files.uploaded(ALICE, "in." + format, "image/" + format, Images.picture(format, 120, 80));
            JsonPath done = process(file, Map.of("operation", "thumbnail", "size", 60));
            assertEquals(60, done.getInt("result.width"), format);
            assertEquals(40, done.getInt("result.height"), format);
            BufferedImage out = download(done.getString("result.file_id"));
            assertEquals(60, out.getWidth(), format);
        }
        String png = Files.uploaded(ALICE, "in.png", "image/png", Images.picture("png", 120, 80));
        for (String target : List.of("jpeg", "gif", "bmp", "tiff", "png")) {
            JsonPath done = process(png, Map.of("operation", "convert", "format", target));
            assertEquals(target, done.getString("result.format"));
            assertEquals(120, download(done.getString("result.file_id")).getWidth(), target);
        }
    }

    @Test
    void resizeCropAndRotateDoWhatTheySay() throws Exception {
        String file = Files.uploaded(ALICE, "photo.png", "image/png", Images.picture("png", 200, 100));
        assertEquals(50, process(file, Map.of("operation", "resize", "width", 100)).getInt("result.height"));
        JsonPath cropped = process(file, Map.of("operation", "crop", "x", 0, "y", 0, "width", 100, "height", 100));
        BufferedImage left = download(cropped.getString("result.file_id"));
        assertEquals(100, left.getWidth());
        assertTrue((left.getRGB(50, 50) & 0xFF0000) >> 16 > 200, "the crop is the red half");
        JsonPath rotated = process(file, Map.of("operation", "rotate", "degrees", 90));
        assertEquals(100, rotated.getInt("result.width"));
        assertEquals(200, rotated.getInt("result.height"));
    }

    @Test
    void theExifOrientationOfAPhotoIsHonoured() {
        String file = Files.uploaded(ALICE, "turned.jpg", "image/jpeg", Images.exifRotatedJpeg(80, 40));
        JsonPath done = process(file, Map.of("operation", "convert", "format", "png"));
        assertEquals(40, done.getInt("result.width"));
        assertEquals(80, done.getInt("result.height"));
    }

    @Test
    void aCorruptImageFailsTheTaskWithAClearErrorAndNoRetry() {
        String file = Files.uploaded(ALICE, "broken.jpg", "image/jpeg", Images.corruptJpeg());
        String id = as(ALICE).body(Map.of("input_file_ids", List.of(file), "params", Map.of("operation", "thumbnail", "size", 10)))
                .post("/api/v1/process/image").then().statusCode(201).extract().path("task_id");
        JsonPath failed = Tasks.awaitState(ALICE, id, "FAILED");
        assertEquals(1, failed.getInt("attempts"));
        assertTrue(failed.getString("error").startsWith("The input is not a readable image"), failed.getString("error"));
        String text = Files.uploaded(ALICE, "notes.txt", "text/plain", "hello".getBytes());
        String other = as(ALICE).body(Map.of("input_file_ids", List.of(text), "params", Map.of("operation", "thumbnail", "size", 10)))
                .post("/api/v1/process/image").then().statusCode(201).extract().path("task_id");
        assertTrue(Tasks.awaitState(ALICE, other, "FAILED").getString("error").contains("not an image"));
        // The service is fine: the next image works.
        String good = Files.uploaded(ALICE, "ok.png", "image/png", Images.picture("png", 20, 20));
        process(good, Map.of("operation", "thumbnail", "size", 10));
    }

    @Test
    void outputsOverThePixelLimitAreRefused() throws Exception {
        String tiny = Files.uploaded(ALICE, "dot.png", "image/png", Images.picture("png", 1, 1));
        // 1×1 resized to 20000×20000 would allocate about 1.6 GB.
        as(ALICE).body(Map.of("input_file_ids", List.of(tiny), "params", Map.of("operation", "resize", "width", 20_000,
                        "height", 20_000, "keep_aspect", false)))
                .post("/api/v1/process/image").then().statusCode(400)
                .body("errors.field", hasItems("params.width"));
        // By one side, the input's shape decides: a 1×100 strip 20000 wide would be 20000×2000000.
        String strip = Files.uploaded(ALICE, "strip.png", "image/png", Images.picture("png", 1, 100));
        String id = as(ALICE).body(Map.of("input_file_ids", List.of(strip), "params", Map.of("operation", "resize",
                "width", 20_000))).post("/api/v1/process/image").then().statusCode(201).extract().path("task_id");
        JsonPath failed = Tasks.awaitState(ALICE, id, "FAILED");
        assertTrue(failed.getString("error").contains("pixels; at most"), failed.getString("error"));
    }

    @Test
    void badImageParametersAreRefusedUpFront() {
        as(ALICE).body(Map.of("input_file_ids", List.of(), "params", Map.of("operation", "melt", "format", "webp")))
                .post("/api/v1/process/image").then().statusCode(400)
                .body("errors.field", hasItems("input_file_ids", "params.operation", "params.format"));
    }
}
