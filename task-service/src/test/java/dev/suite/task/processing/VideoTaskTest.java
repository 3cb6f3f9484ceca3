package dev.suite.task.processing;

import dev.suite.task.Files;
import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Needs ffmpeg (Debian's package; .ci/run installs it). The videos are made with its testsrc. */
@QuarkusTest
class VideoTaskTest {

    private static byte[] shortVideo;
    private static byte[] longVideo;

    @BeforeAll
    static void makeVideos() throws Exception {
        Assumptions.assumeTrue(available(), "ffmpeg is not installed");
        shortVideo = make(3, "320x240");
        longVideo = make(60, "640x480");
    }

    private static boolean available() {
        try {
            return new ProcessBuilder("ffmpeg", "-version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] make(int seconds, String size) throws Exception {
        Path out = java.nio.file.Files.createTempFile("testsrc", ".mp4");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=duration=" + seconds + ":size=" + size + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds,
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", out.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg made the test video");
        byte[] bytes = java.nio.file.Files.readAllBytes(out);
        java.nio.file.Files.delete(out);
        return bytes;
    }

    private static String video(Map<String, Object> params, byte[] bytes) {
        String file = Files.uploaded(ALICE, "clip.mp4", "video/mp4", bytes);
        return as(ALICE).body(Map.of("input_file_ids", List.of(file), "params", params))
                .post("/api/v1/process/video").then().statusCode(201).extract().path("task_id");
    }

    @Test
    void readinessNamesTheFfmpegFound() {
        JsonPath health = io.restassured.RestAssured.get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        String ffmpeg = health.getString("checks.find { it.name == 'Media tools' }.data.ffmpeg");
        assertTrue(ffmpeg.startsWith("ffmpeg version"), ffmpeg);
        assertEquals("available", health.getString("checks.find { it.name == 'Media tools' }.data.ffprobe"));
    }

    @Test
    void probeThumbnailAudioAndTranscodeWork() throws Exception {
        JsonPath probed = Tasks.awaitState(ALICE, video(Map.of("operation", "probe"), shortVideo), "COMPLETED");
        assertEquals(320, probed.getInt("result.width"));
        assertEquals("h264", probed.getString("result.video_codec"));
        assertTrue(Math.abs(probed.getDouble("result.duration_seconds") - 3.0) < 0.2);

        JsonPath thumb = Tasks.awaitState(ALICE, video(Map.of("operation", "thumbnail", "at_seconds", 1.5, "width", 160),
                shortVideo), "COMPLETED");
        byte[] jpeg = as(ALICE).get("/api/v1/files/" + thumb.getString("result.file_id")).then().statusCode(200)
                .header("Content-Type", "image/jpeg").extract().asByteArray();
        assertEquals(160, ImageIO.read(new ByteArrayInputStream(jpeg)).getWidth());

        JsonPath audio = Tasks.awaitState(ALICE, video(Map.of("operation", "extract_audio", "format", "mp3"), shortVideo),
                "COMPLETED");
        assertEquals("audio/mpeg", audio.getString("result.content_type"));
        assertTrue(audio.getLong("result.size") > 1000);

        JsonPath webm = Tasks.awaitState(ALICE, video(Map.of("operation", "transcode", "format", "webm", "width", 160),
                shortVideo), "COMPLETED");
        assertEquals(100, webm.getInt("progress"));
        assertEquals("video/webm", webm.getString("result.content_type"));
    }

    /**
     * Manifests that list segments by URL (DASH, HLS) are not media ffmpeg may open: the task fails
     * before ffmpeg reads anything, and the listener the segments name hears nothing.
     */
    @Test
    void aManifestPointingAtTheNetworkIsNeverFollowed() throws Exception {
        java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (java.net.Socket ignored = listener.accept()) {
                        heard.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            String base = "http://127.0.0.1:" + listener.getLocalPort();
            String dash = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" "
                    + "mediaPresentationDuration=\"PT3S\" profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\">"
                    + "<Period><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"1\" bandwidth=\"1000\">"
                    + "<BaseURL>" + base + "/segment.mp4</BaseURL></Representation></AdaptationSet></Period></MPD>";
            String hls = "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\n" + base + "/segment.ts\n#EXT-X-ENDLIST\n";
            for (String manifest : List.of(dash, hls)) {
                String file = Files.uploaded(ALICE, "clip.mp4", "video/mp4", manifest.getBytes(StandardCharsets.UTF_8));
                String id = as(ALICE).body(Map.of("input_file_ids", List.of(file), "params", Map.of("operation", "probe")))
                        .post("/api/v1/process/video").then().statusCode(201).extract().path("task_id");
                JsonPath failed = Tasks.awaitState(ALICE, id, "FAILED");
                assertTrue(failed.getString("error").contains("not audio or video"), failed.getString("error"));
            }
        }
        assertEquals(0, heard.get(), "no segment was fetched");
    }

    @Test
    void cancellingARunningTranscodeKillsFfmpeg() {
        String id = video(Map.of("operation", "transcode", "format", "webm"), longVideo);
        await().atMost(Duration.ofSeconds(30)).until(() -> Tasks.get(ALICE, id).getInt("progress") > 0);
        as(ALICE).delete("/api/v1/tasks/" + id).then().statusCode(202);
        Tasks.awaitState(ALICE, id, "CANCELLED");
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains("task-" + id)));
    }

    @Test
    void aFileThatIsNotAVideoFailsAtOnce() {
        String file = Files.uploaded(ALICE, "notes.mp4", "video/mp4", "not a video at all".getBytes());
        String id = as(ALICE).body(Map.of("input_file_ids", List.of(file), "params", Map.of("operation", "probe")))
                .post("/api/v1/process/video").then().statusCode(201).extract().path("task_id");
        JsonPath failed = Tasks.awaitState(ALICE, id, "FAILED");
        assertEquals(1, failed.getInt("attempts"));
        assertTrue(failed.getString("error").contains("not audio or video"), failed.getString("error"));
    }
}
