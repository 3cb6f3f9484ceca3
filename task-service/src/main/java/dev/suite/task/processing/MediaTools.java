package dev.suite.task.processing;

import dev.suite.task.TaskSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Whether ffmpeg and ffprobe can be run here, found once at start-up. Readiness reports it (the
 * service is ready without them: images and batches work; video tasks fail fast and say why).
 */
@ApplicationScoped
public class MediaTools {

    private static final Logger LOG = Logger.getLogger(MediaTools.class);

    private final TaskSettings settings;
    private volatile String ffmpegVersion;
    private volatile boolean ffprobe;

    public MediaTools(TaskSettings settings) {
        this.settings = settings;
    }

    void detect(@Observes StartupEvent startup) {
        ffmpegVersion = version(settings.media().ffmpeg());
        ffprobe = version(settings.media().ffprobe()) != null;
        if (ffmpegVersion == null || !ffprobe) {
            LOG.warnf("ffmpeg or ffprobe not found (%s, %s): video tasks will fail until they are installed",
                    settings.media().ffmpeg(), settings.media().ffprobe());
        }
    }

    public boolean videoReady() {
        return ffmpegVersion != null && ffprobe;
    }

    /** ffmpeg's first {@code -version} line, or null when it is missing. */
    public String ffmpegVersion() {
        return ffmpegVersion;
    }

    public boolean ffprobeAvailable() {
        return ffprobe;
    }

    private static String version(String command) {
        try {
            Process p = new ProcessBuilder(command, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            String first = out.lines().findFirst().orElse("");
            return first.isBlank() ? "unknown" : first;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Part of readiness: up either way, saying what video tasks can count on. */
    @Readiness
    @ApplicationScoped
    public static class Check implements HealthCheck {

        private final MediaTools tools;

        public Check(MediaTools tools) {
            this.tools = tools;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("Media tools").up()
                    // Through methods: tools is the bean's client proxy, whose own fields stay unset.
                    .withData("ffmpeg", tools.ffmpegVersion() == null ? "missing: video tasks fail" : tools.ffmpegVersion())
                    .withData("ffprobe", tools.ffprobeAvailable() ? "available" : "missing: video tasks fail")
                    .build();
        }
    }
}
