package dev.suite.task.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.FieldError;
import dev.suite.task.TaskSettings;
import dev.suite.task.files.FileSignatures;
import dev.suite.task.files.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code video}: transcode, a thumbnail at a time, the audio track, or the metadata of one input
 * video, with ffmpeg and ffprobe run as supervised processes: progress comes from ffmpeg's
 * {@code -progress} output, and a cancel, pause or timeout kills the process.
 */
@ApplicationScoped
public class VideoProcessor implements TaskProcessor {

    static final Set<String> OPERATIONS = Set.of("transcode", "thumbnail", "extract_audio", "probe");
    static final Map<String, List<String>> VIDEO_FORMATS = Map.of(
            "mp4", List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-movflags", "+faststart"),
            "webm", List.of("-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40", "-deadline", "realtime", "-cpu-used", "8",
                    "-c:a", "libopus"),
            "mkv", List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-c:a", "aac"));
    static final Map<String, List<String>> AUDIO_FORMATS = Map.of(
            "mp3", List.of("-c:a", "libmp3lame", "-q:a", "4"),
            "m4a", List.of("-c:a", "aac"),
            "wav", List.of("-c:a", "pcm_s16le"),
            "ogg", List.of("-c:a", "libopus"));
    private static final int STDERR_LINES = 8;

    private final ObjectMapper mapper;
    private final TaskSettings settings;
    private final MediaTools tools;

    public VideoProcessor(ObjectMapper mapper, TaskSettings settings, MediaTools tools) {
        this.mapper = mapper;
        this.settings = settings;
        this.tools = tools;
    }

    @Override
    public String type() {
        return "video";
    }

    @Override
    public List<FieldError> check(JsonNode params, int inputFiles) {
        List<FieldError> errors = new ArrayList<>();
        if (inputFiles != 1) {
            errors.add(new FieldError("input_file_ids", "must name exactly one video"));
        }
        JsonNode p = params == null ? mapper.createObjectNode() : params;
        String op = p.path("operation").asText("");
        if (!OPERATIONS.contains(op)) {
            errors.add(new FieldError("params.operation", "must be one of " + OPERATIONS));
        }
        if (op.equals("transcode") && !VIDEO_FORMATS.containsKey(p.path("format").asText("mp4"))) {
            errors.add(new FieldError("params.format", "must be one of " + VIDEO_FORMATS.keySet()));
        }
        if (op.equals("extract_audio") && !AUDIO_FORMATS.containsKey(p.path("format").asText("mp3"))) {
            errors.add(new FieldError("params.format", "must be one of " + AUDIO_FORMATS.keySet()));
        }
        if (p.has("at_seconds") && (!p.get("at_seconds").isNumber() || p.get("at_seconds").asDouble() < 0)) {
            errors.add(new FieldError("params.at_seconds", "must be 0 or more"));
        }
        if (p.has("width") && (!p.get("width").canConvertToInt() || p.get("width").asInt() < 16 || p.get("width").asInt() > 8192)) {
            errors.add(new FieldError("params.width", "must be 16–8192"));
        }
        return errors;
    }

    @Override
    public JsonNode run(TaskRun run) throws TaskFailure, Stopped, InterruptedException {
        if (!tools.videoReady()) {
            throw TaskFailure.permanent("ffmpeg and ffprobe are not installed on this replica; video tasks cannot run.");
        }
        StoredFile input = run.inputs().isEmpty() ? null : run.inputs().get(0);
        if (input == null) {
            throw TaskFailure.permanent("The input video is gone.");
        }
        Path source = run.inputPath(input);
        JsonNode p = run.params();
        List<String> in = input(source);
        JsonNode probe = probe(run, in);
        double duration = probe.path("format").path("duration").asDouble(0);
        String op = p.path("operation").asText();
        if (op.equals("probe")) {
            run.progress(100);
            return summary(probe);
        }
        List<String> args = new ArrayList<>(List.of(settings.media().ffmpeg(), "-hide_banner", "-nostdin", "-y"));
        String ext;
        String contentType;
        double expected = duration;
        switch (op) {
            case "thumbnail" -> {
                double at = Math.min(p.path("at_seconds").asDouble(0), Math.max(0, duration - 0.1));
                args.addAll(List.of("-ss", Double.toString(at)));
                args.addAll(in);
                args.addAll(List.of("-frames:v", "1"));
                scale(p, args);
                ext = "jpg";
                contentType = "image/jpeg";
                expected = 0;
            }
            case "extract_audio" -> {
                if (!hasStream(probe, "audio")) {
                    throw TaskFailure.permanent("The video has no audio track.");
                }
                String format = p.path("format").asText("mp3");
                args.addAll(in);
                args.add("-vn");
                args.addAll(AUDIO_FORMATS.get(format));
                ext = format;
                contentType = format.equals("wav") ? "audio/wav" : format.equals("m4a") ? "audio/mp4"
                        : format.equals("ogg") ? "audio/ogg" : "audio/mpeg";
            }
            default -> {
                String format = p.path("format").asText("mp4");
                args.addAll(in);
                scale(p, args);
                args.addAll(VIDEO_FORMATS.get(format));
                ext = format;
                contentType = format.equals("webm") ? "video/webm" : format.equals("mkv") ? "video/x-matroska" : "video/mp4";
            }
        }
        Path out;
        try {
            out = run.workDir().resolve("output." + ext);
        } catch (IOException e) {
            throw TaskFailure.transientFailure("No scratch space: " + e.getMessage());
        }
        args.addAll(List.of("-progress", "pipe:1", "-nostats", out.toString()));
        ffmpeg(run, args, expected);
        StoredFile kept = run.output(out, baseName(input.name()) + "-" + op + "." + ext, contentType);
        ObjectNode result = mapper.createObjectNode();
        result.put("file_id", kept.fileId()).put("name", kept.name()).put("content_type", kept.contentType())
                .put("size", kept.size());
        result.set("source", summary(probe));
        return result;
    }

    private static void scale(JsonNode p, List<String> args) {
        if (p.has("width")) {
            args.addAll(List.of("-vf", "scale=" + p.get("width").asInt() + ":-2"));
        }
    }

    /** Runs ffmpeg, turning its {@code out_time_us} lines into progress; a stop kills it. */
    private void ffmpeg(TaskRun run, List<String> args, double duration) throws TaskFailure, Stopped, InterruptedException {
        Process process;
        try {
            process = run.supervise(new ProcessBuilder(args).start());
        } catch (IOException e) {
            throw TaskFailure.permanent("ffmpeg could not be started: " + e.getMessage());
        }
        Deque<String> stderr = drain(process);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("out_time_us=") && duration > 0) {
                    try {
                        long micros = Long.parseLong(line.substring(12).trim());
                        run.progress((int) Math.min(99, micros / 1e6 / duration * 100));
                    } catch (NumberFormatException e) {
                        // "N/A" before the first frame
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed, or ended: its exit status tells which
        }
        int status = process.waitFor();
        run.checkStop();
        if (status != 0) {
            throw TaskFailure.permanent("ffmpeg failed (exit " + status + "): " + lines(stderr));
        }
    }

    /**
     * How ffmpeg and ffprobe open the input: only the {@code file} protocol (no network, whatever
     * the file names inside it) and only the demuxer of the format its first bytes show, from an
     * allowed set — never a playlist or manifest that lists URLs, whatever this ffmpeg build's
     * defaults would allow.
     */
    private static List<String> input(Path source) throws TaskFailure {
        FileSignatures.Kind kind;
        try {
            kind = FileSignatures.of(source);
        } catch (IOException e) {
            throw TaskFailure.transientFailure("The input could not be read: " + e.getMessage());
        }
        if (kind.demuxer() == null) {
            throw TaskFailure.permanent("The input is not audio or video in a format we read (MP4/MOV, Matroska/WebM, "
                    + "AVI, MPEG-TS, FLV, WAV, MP3, AAC, Ogg, FLAC): its bytes say " + kind.contentType() + ".");
        }
        return List.of("-protocol_whitelist", "file", "-f", kind.demuxer(), "-i", "file:" + source);
    }

    private JsonNode probe(TaskRun run, List<String> input) throws TaskFailure, Stopped, InterruptedException {
        List<String> args = new ArrayList<>(List.of(settings.media().ffprobe(), "-v", "error", "-show_entries",
                "format=duration,format_name,bit_rate:stream=codec_type,codec_name,width,height,sample_rate,channels",
                "-of", "json"));
        // ffprobe takes its input without -i.
        args.addAll(input.subList(0, input.size() - 2));
        args.add(input.get(input.size() - 1));
        Process process;
        try {
            process = run.supervise(new ProcessBuilder(args).start());
        } catch (IOException e) {
            throw TaskFailure.permanent("ffprobe could not be started: " + e.getMessage());
        }
        Deque<String> stderr = drain(process);
        JsonNode json;
        try {
            json = mapper.readTree(process.getInputStream());
        } catch (IOException e) {
            json = null;
        }
        int status = process.waitFor();
        run.checkStop();
        if (status != 0 || json == null || !json.path("streams").isArray() || json.path("streams").isEmpty()) {
            throw TaskFailure.permanent("The input is not a video ffprobe can read: " + lines(stderr));
        }
        return json;
    }

    private ObjectNode summary(JsonNode probe) {
        ObjectNode out = mapper.createObjectNode();
        out.put("duration_seconds", probe.path("format").path("duration").asDouble(0));
        out.put("format", probe.path("format").path("format_name").asText(null));
        for (JsonNode stream : probe.path("streams")) {
            if (stream.path("codec_type").asText().equals("video") && !out.has("video_codec")) {
                out.put("video_codec", stream.path("codec_name").asText()).put("width", stream.path("width").asInt())
                        .put("height", stream.path("height").asInt());
            } else if (stream.path("codec_type").asText().equals("audio") && !out.has("audio_codec")) {
                out.put("audio_codec", stream.path("codec_name").asText())
                        .put("sample_rate", stream.path("sample_rate").asText());
            }
        }
        return out;
    }

    private static boolean hasStream(JsonNode probe, String type) {
        for (JsonNode stream : probe.path("streams")) {
            if (type.equals(stream.path("codec_type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the last lines of the process's stderr (for the error message) without letting it block. */
    private static Deque<String> drain(Process process) {
        Deque<String> last = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    synchronized (last) {
                        last.addLast(line.strip());
                        if (last.size() > STDERR_LINES) {
                            last.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "ffmpeg-stderr");
        reader.setDaemon(true);
        reader.start();
        return last;
    }

    private static String lines(Deque<String> stderr) {
        synchronized (stderr) {
            return String.join(" | ", stderr);
        }
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
