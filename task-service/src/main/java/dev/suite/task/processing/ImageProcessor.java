package dev.suite.task.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.problem.FieldError;
import dev.suite.task.TaskSettings;
import dev.suite.task.files.StoredFile;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import net.coobird.thumbnailator.Thumbnails;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code image}: resize, thumbnail, crop, rotate or convert one input image, writing JPEG, PNG, GIF,
 * BMP or TIFF (WebP is read only). The EXIF orientation of a photo is applied on read, so the
 * output stands the way the camera held it. ImageIO with the TwelveMonkeys plugins decodes;
 * Thumbnailator resizes. A file that is not a readable image fails the task at once, with the
 * decoder's reason.
 */
@ApplicationScoped
public class ImageProcessor implements TaskProcessor {

    static final Set<String> OPERATIONS = Set.of("resize", "thumbnail", "crop", "rotate", "convert");
    static final Map<String, String> FORMATS = Map.of("jpeg", "image/jpeg", "png", "image/png", "gif", "image/gif",
            "bmp", "image/bmp", "tiff", "image/tiff");
    private static final int MAX_SIDE = 20_000;

    private final ObjectMapper mapper;
    private final TaskSettings settings;

    public ImageProcessor(ObjectMapper mapper, TaskSettings settings) {
        this.mapper = mapper;
        this.settings = settings;
    }

    /** ImageIO finds plugins on the class path it scans: scan the application's, with TwelveMonkeys on it. */
    void registerPlugins(@Observes StartupEvent startup) {
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        try {
            current.setContextClassLoader(ImageProcessor.class.getClassLoader());
            ImageIO.scanForPlugins();
        } finally {
            current.setContextClassLoader(before);
        }
        ImageIO.setUseCache(false);
    }

    @Override
    public String type() {
        return "image";
    }

    @Override
    public List<FieldError> check(JsonNode params, int inputFiles) {
        List<FieldError> errors = new ArrayList<>();
        if (inputFiles != 1) {
            errors.add(new FieldError("input_file_ids", "must name exactly one image"));
        }
        JsonNode p = params == null ? mapper.createObjectNode() : params;
        String op = p.path("operation").asText("");
        if (!OPERATIONS.contains(op)) {
            errors.add(new FieldError("params.operation", "must be one of " + OPERATIONS));
        }
        switch (op) {
            case "resize" -> {
                if (!side(p, "width") && !side(p, "height")) {
                    errors.add(new FieldError("params.width", "width or height (1–" + MAX_SIDE + ") is required"));
                }
            }
            case "thumbnail" -> {
                if (!side(p, "size")) {
                    errors.add(new FieldError("params.size", "must be 1–" + MAX_SIDE));
                }
            }
            case "crop" -> {
                for (String f : List.of("width", "height")) {
                    if (!side(p, f)) {
                        errors.add(new FieldError("params." + f, "must be 1–" + MAX_SIDE));
                    }
                }
                for (String f : List.of("x", "y")) {
                    if (p.has(f) && (!p.get(f).canConvertToInt() || p.get(f).asInt() < 0)) {
                        errors.add(new FieldError("params." + f, "must be 0 or more"));
                    }
                }
            }
            case "rotate" -> {
                if (!p.path("degrees").isNumber()) {
                    errors.add(new FieldError("params.degrees", "is required (a number)"));
                }
            }
            default -> { }
        }
        long output = requestedPixels(p);
        if (output > settings.media().maxOutputPixels()) {
            errors.add(new FieldError(op.equals("thumbnail") ? "params.size" : "params.width", "makes an image of "
                    + output + " pixels; at most " + settings.media().maxOutputPixels() + " (suite.task.media.max-output-pixels)"));
        }
        if (p.has("format") && !FORMATS.containsKey(p.get("format").asText())) {
            errors.add(new FieldError("params.format", "must be one of " + FORMATS.keySet() + " (WebP is read only)"));
        }
        if (p.has("quality") && (!p.get("quality").isNumber() || p.get("quality").asDouble() <= 0 || p.get("quality").asDouble() > 1)) {
            errors.add(new FieldError("params.quality", "must be above 0 and at most 1"));
        }
        return errors;
    }

    /** The output's pixels where the parameters alone decide them (0 where they depend on the input). */
    private static long requestedPixels(JsonNode p) {
        return switch (p.path("operation").asText("")) {
            case "resize", "crop" -> (long) p.path("width").asInt(0) * p.path("height").asInt(0);
            case "thumbnail" -> (long) p.path("size").asInt(0) * p.path("size").asInt(0);
            default -> 0;
        };
    }

    /**
     * The output's pixels for this input: a resize by one side keeps the aspect ratio, a rotation
     * makes the bounding box of the turned image. Checked before anything is allocated.
     */
    private static long outputPixels(JsonNode p, int width, int height) {
        return switch (p.path("operation").asText("")) {
            case "resize" -> {
                int w = p.path("width").asInt(0);
                int h = p.path("height").asInt(0);
                if (w > 0 && h > 0) {
                    yield (long) w * h;
                }
                yield w > 0 ? (long) w * Math.max(1, Math.round((double) w * height / width))
                        : (long) h * Math.max(1, Math.round((double) h * width / height));
            }
            case "rotate" -> {
                double radians = Math.toRadians(p.path("degrees").asDouble());
                double cos = Math.abs(Math.cos(radians));
                double sin = Math.abs(Math.sin(radians));
                yield (long) Math.ceil(width * cos + height * sin) * (long) Math.ceil(width * sin + height * cos);
            }
            default -> requestedPixels(p) > 0 ? requestedPixels(p) : (long) width * height;
        };
    }

    private static boolean side(JsonNode p, String field) {
        return p.path(field).canConvertToInt() && p.get(field).asInt() >= 1 && p.get(field).asInt() <= MAX_SIDE;
    }

    @Override
    public JsonNode run(TaskRun run) throws TaskFailure, Stopped {
        StoredFile input = run.inputs().isEmpty() ? null : run.inputs().get(0);
        if (input == null) {
            throw TaskFailure.permanent("The input image is gone.");
        }
        Path source = run.inputPath(input);
        JsonNode p = run.params();
        ImageFacts facts = probe(source);
        String sourceFormat = facts.format();
        long output = outputPixels(p, facts.width(), facts.height());
        if (output > settings.media().maxOutputPixels()) {
            throw TaskFailure.permanent("The " + p.path("operation").asText() + " would make an image of " + output
                    + " pixels; at most " + settings.media().maxOutputPixels() + " are made.");
        }
        String format = p.has("format") ? p.get("format").asText() : outputFormatFor(sourceFormat);
        run.progress(10);
        run.checkStop();
        Path out;
        int[] dimensions;
        try {
            Thumbnails.Builder<java.io.File> builder = Thumbnails.of(source.toFile());
            String op = p.path("operation").asText();
            switch (op) {
                case "resize" -> {
                    int w = p.path("width").asInt(0);
                    int h = p.path("height").asInt(0);
                    if (w > 0 && h > 0) {
                        builder.size(w, h).keepAspectRatio(p.path("keep_aspect").asBoolean(true));
                    } else if (w > 0) {
                        builder.width(w);
                    } else {
                        builder.height(h);
                    }
                }
                case "thumbnail" -> builder.size(p.get("size").asInt(), p.get("size").asInt());
                case "crop" -> builder.sourceRegion(p.path("x").asInt(0), p.path("y").asInt(0), p.get("width").asInt(),
                        p.get("height").asInt()).scale(1.0);
                case "rotate" -> builder.rotate(p.get("degrees").asDouble()).scale(1.0);
                default -> builder.scale(1.0);
            }
            builder.outputFormat(format.equals("jpeg") ? "jpg" : format);
            if (format.equals("jpeg") || format.equals("bmp")) {
                // No alpha channel in these formats.
                builder.imageType(BufferedImage.TYPE_INT_RGB);
            }
            if (p.has("quality") || format.equals("jpeg")) {
                builder.outputQuality(p.path("quality").asDouble(0.9));
            }
            out = run.workDir().resolve("output." + extension(format));
            try (var stream = java.nio.file.Files.newOutputStream(out)) {
                builder.toOutputStream(stream);
            }
            run.progress(80);
            run.checkStop();
            dimensions = dimensions(out);
        } catch (IllegalArgumentException e) {
            throw TaskFailure.permanent("The operation does not fit the image: " + e.getMessage());
        } catch (IOException e) {
            throw TaskFailure.permanent("The input is not a readable image: " + e.getMessage());
        }
        run.progress(90);
        StoredFile kept = run.output(out, baseName(input.name()) + "-" + p.path("operation").asText() + "." + extension(format),
                FORMATS.get(format));
        var result = mapper.createObjectNode();
        result.put("file_id", kept.fileId()).put("name", kept.name()).put("content_type", kept.contentType())
                .put("size", kept.size()).put("width", dimensions[0]).put("height", dimensions[1])
                .put("format", format).put("source_format", sourceFormat);
        return result;
    }

    /** What the decoder read of an image's header. */
    private record ImageFacts(String format, int width, int height) {
    }

    /** The decoder's format name and the size, after checking the image is readable and not too large to decode. */
    private ImageFacts probe(Path source) throws TaskFailure {
        try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw TaskFailure.permanent("The input is not an image in a format we read (JPEG, PNG, GIF, BMP, TIFF, WebP).");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (pixels > settings.media().maxImagePixels()) {
                    throw TaskFailure.permanent("The image has " + pixels + " pixels; at most "
                            + settings.media().maxImagePixels() + " are decoded.");
                }
                return new ImageFacts(reader.getFormatName().toLowerCase(Locale.ROOT), width, height);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw TaskFailure.permanent("The input is not a readable image: " + e.getMessage());
        }
    }

    private static int[] dimensions(Path image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    private static String outputFormatFor(String sourceFormat) {
        return switch (sourceFormat) {
            case "jpeg", "jpg" -> "jpeg";
            case "gif" -> "gif";
            case "bmp" -> "bmp";
            case "tif", "tiff" -> "tiff";
            default -> "png";
        };
    }

    private static String extension(String format) {
        return format.equals("jpeg") ? "jpg" : format.equals("tiff") ? "tif" : format;
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
