package dev.suite.task.files;

import dev.suite.commons.db.Times;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemResponses;
import dev.suite.commons.problem.ProblemType;
import dev.suite.task.TaskSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/files}: uploads streamed part by part into the storage while their SHA-256 is
 * computed (nothing is buffered whole, and the size limit stops a stream the moment it is passed),
 * downloads with {@code Range}, and deletes. Vert.x routes rather than a REST resource, for that
 * control over the stream.
 */
@ApplicationScoped
public class FileRoutes {

    private static final Logger LOG = Logger.getLogger(FileRoutes.class);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final FileStore files;
    private final BlobStorage storage;
    private final TaskSettings settings;

    public FileRoutes(FileStore files, BlobStorage storage, TaskSettings settings) {
        this.files = files;
        this.storage = storage;
        this.settings = settings;
    }

    void register(@Observes Router router) {
        router.post("/api/v1/files").handler(this::upload);
        router.get("/api/v1/files/:id").handler(this::download);
        router.delete("/api/v1/files/:id").handler(this::delete);
    }

    /** One file part being written: its blob key, digest, size, and first bytes (which decide its type). */
    private static final class Part {
        final String key = Ids.newId();
        final MessageDigest sha256;
        final String name;
        final Buffer head = Buffer.buffer();
        final Promise<Void> written = Promise.promise();
        /** The open storage stream, once there is one: closed on every way out, or its descriptor leaks. */
        WriteStream<Buffer> out;
        private Future<Void> closed;
        long size;

        Part(HttpServerFileUpload upload) {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            String raw = upload.filename() == null || upload.filename().isBlank() ? "file" : upload.filename();
            String base = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
            name = base.length() > 255 ? base.substring(0, 255) : base;
        }

        void keepHead(Buffer chunk) {
            int wanted = FileSignatures.HEAD_BYTES - head.length();
            if (wanted > 0) {
                head.appendBuffer(chunk, 0, Math.min(wanted, chunk.length()));
            }
        }

        /** What the bytes say the file is; the type its uploader declared is not trusted. */
        String contentType() {
            return FileSignatures.of(head.getBytes()).contentType();
        }

        /** Ends the storage stream once it exists, however many ways out ask for it. */
        Future<Void> close() {
            if (out == null) {
                return Future.succeededFuture();
            }
            if (closed == null) {
                closed = out.end();
            }
            return closed;
        }
    }

    private void upload(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String owner = CurrentUser.of(rc);
        String type = request.getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            fail(rc, new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Upload files as multipart/form-data.", null, null, null), List.of());
            return;
        }
        long max = settings.files().maxBytes();
        String length = request.getHeader("Content-Length");
        if (length != null && length.matches("\\d+") && Long.parseLong(length) > max + 64 * 1024) {
            fail(rc, tooLarge(max), List.of());
            return;
        }
        String boundary = boundary(type);
        if (boundary == null) {
            fail(rc, ProblemException.invalidField("file", "multipart/form-data needs a boundary of 1 to 70 characters"),
                    List.of());
            return;
        }
        List<Part> parts = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        long[] total = {0};
        ClosingDelimiter closing = new ClosingDelimiter(boundary);
        // The owner's stored bytes, read while the upload streams: the quota is checked as it grows.
        long[] stored = {-1};
        Future<Long> storedRead = Future.fromCompletionStage(files.storedBytes(owner).subscribeAsCompletionStage())
                .onSuccess(bytes -> stored[0] = bytes);
        request.handler(closing::feed);
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            if (failed.get()) {
                return;
            }
            if (parts.size() + 1 > settings.files().maxParts()) {
                if (failed.compareAndSet(false, true)) {
                    fail(rc, tooManyParts(), parts);
                }
                return;
            }
            Part part = new Part(upload);
            parts.add(part);
            upload.pause();
            storage.create(part.key).subscribe().with(out -> {
                part.out = out;
                if (failed.get()) {
                    // The upload failed while storage was opening: nothing will be written.
                    cleanup(List.of(part));
                    return;
                }
                stream(rc, upload, part, out, total, max, stored, failed, parts);
            }, e -> {
                if (failed.compareAndSet(false, true)) {
                    LOG.errorf("Could not open storage for an upload: %s", e.getMessage());
                    fail(rc, ProblemException.unavailable("File storage is unavailable.", null), parts);
                }
            });
        });
        // A body that is not valid multipart (cut off inside a part, an over-long boundary or header):
        // the decoder gives up. Mid-body Vert.x tells the request; at the very end of the body it tells
        // only the connection, and the request would never end.
        Handler<Throwable> malformed = e -> {
            if (failed.compareAndSet(false, true)) {
                fail(rc, malformed(e), parts);
            }
        };
        request.exceptionHandler(malformed);
        request.connection().exceptionHandler(malformed);
        request.endHandler(ended -> {
            if (failed.get()) {
                return;
            }
            if (!closing.seen()) {
                // Cut off inside a part: the decoder ends the request without ending that part.
                failed.set(true);
                fail(rc, malformed(new IllegalStateException("no closing delimiter")), parts);
                return;
            }
            if (parts.size() + request.formAttributes().size() > settings.files().maxParts()) {
                failed.set(true);
                fail(rc, tooManyParts(), parts);
                return;
            }
            if (parts.isEmpty()) {
                fail(rc, ProblemException.invalidField("file", "the upload holds no file part"), parts);
                return;
            }
            Future.all(parts.stream().map(p -> p.written.future()).toList())
                    .compose(written -> storedRead)
                    .compose(used -> used + total[0] > quota()
                            ? Future.failedFuture(quotaReached(used)) : Future.succeededFuture())
                    .onFailure(e -> {
                        if (failed.compareAndSet(false, true)) {
                            fail(rc, e instanceof ProblemException problem ? problem
                                    : ProblemException.unavailable("The upload could not be stored.", null), parts);
                        }
                    })
                    .onSuccess(ok -> record(rc, owner, parts));
        });
    }

    private void stream(RoutingContext rc, HttpServerFileUpload upload, Part part, WriteStream<Buffer> out, long[] total,
            long max, long[] stored, AtomicBoolean failed, List<Part> parts) {
        upload.handler(buffer -> {
            if (failed.get()) {
                return;
            }
            total[0] += buffer.length();
            if (total[0] > max || stored[0] >= 0 && stored[0] + total[0] > quota()) {
                if (failed.compareAndSet(false, true)) {
                    fail(rc, total[0] > max ? tooLarge(max) : quotaReached(stored[0]), parts);
                }
                return;
            }
            part.keepHead(buffer);
            part.size += buffer.length();
            part.sha256.update(buffer.getBytes());
            out.write(buffer);
            if (out.writeQueueFull()) {
                upload.pause();
                out.drainHandler(v -> upload.resume());
            }
        });
        upload.endHandler(v -> part.close().onComplete(part.written));
        // The part was cut off (the decoder gave up inside it): what was written is not a file.
        upload.exceptionHandler(e -> part.close().onComplete(closed -> part.written.tryFail(malformed(e))));
        upload.resume();
    }

    private void record(RoutingContext rc, String owner, List<Part> parts) {
        Instant now = Times.now();
        List<StoredFile> stored = parts.stream().map(p -> new StoredFile(p.key, p.name, p.contentType(), p.size,
                HexFormat.of().formatHex(p.sha256.digest()), null, now, p.key)).toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (StoredFile file : stored) {
            chain = chain.chain(() -> files.insert(owner, file));
        }
        chain.subscribe().with(ok -> {
            JsonArray items = new JsonArray();
            stored.forEach(f -> items.add(json(f)));
            rc.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("items", items).encode());
        }, e -> {
            LOG.errorf(e, "Could not record an upload");
            fail(rc, ProblemException.unavailable("The upload could not be recorded; try again shortly.", null), parts);
        });
    }

    private void download(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!Ids.isId(id)) {
            ProblemResponses.end(rc.response(), ProblemException.notFound("File"), rc.request().path());
            return;
        }
        files.find(CurrentUser.of(rc), id).subscribe().with(found -> {
            if (found.isEmpty()) {
                ProblemResponses.end(rc.response(), ProblemException.notFound("File"), rc.request().path());
                return;
            }
            StoredFile file = found.get();
            long offset = 0;
            long length = file.size();
            String range = rc.request().getHeader("Range");
            // nosniff: a browser renders the stored type only (sniffed at upload), never a guess of its own.
            var response = rc.response().putHeader("Content-Type", file.contentType()).putHeader("Accept-Ranges", "bytes")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("ETag", "\"" + file.sha256() + "\"").putHeader("X-Checksum-SHA256", file.sha256())
                    .putHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                            + URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20"));
            if (range != null) {
                long[] span = span(range, file.size());
                if (span == null) {
                    response.setStatusCode(416).putHeader("Content-Range", "bytes */" + file.size()).end();
                    return;
                }
                offset = span[0];
                length = span[1] - span[0] + 1;
                response.setStatusCode(206).putHeader("Content-Range",
                        "bytes " + span[0] + "-" + span[1] + "/" + file.size());
            }
            storage.send(response, file.storageKey(), offset, length).subscribe().with(ok -> { },
                    e -> rc.response().reset());
        }, e -> ProblemResponses.end(rc.response(), ProblemException.unavailable("Files are unavailable.", null),
                rc.request().path()));
    }

    /** The first and last byte of a single {@code bytes=} range, or null when it cannot be served. */
    static long[] span(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || size == 0) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        return first > last || first >= size ? null : new long[] {first, last};
    }

    private void delete(RoutingContext rc) {
        String id = rc.pathParam("id");
        String owner = CurrentUser.of(rc);
        if (!Ids.isId(id)) {
            ProblemResponses.end(rc.response(), ProblemException.notFound("File"), rc.request().path());
            return;
        }
        files.find(owner, id).chain(found -> found.isEmpty() ? Uni.createFrom().item(false)
                        : files.delete(owner, id).call(() -> storage.delete(found.get().storageKey())))
                .subscribe().with(deleted -> {
                    if (deleted) {
                        rc.response().setStatusCode(204).end();
                    } else {
                        ProblemResponses.end(rc.response(), ProblemException.notFound("File"), rc.request().path());
                    }
                }, e -> ProblemResponses.end(rc.response(), ProblemException.unavailable("Files are unavailable.", null),
                        rc.request().path()));
    }

    static JsonObject json(StoredFile f) {
        return new JsonObject().put("file_id", f.fileId()).put("name", f.name()).put("content_type", f.contentType())
                .put("size", f.size()).put("sha256", f.sha256()).put("task_id", f.taskId())
                .put("created_at", f.createdAt().toString());
    }

    private void fail(RoutingContext rc, ProblemException problem, List<Part> parts) {
        cleanup(parts);
        if (!rc.response().ended()) {
            // Stop reading what is left of the body: the connection goes once the answer is out.
            rc.response().putHeader("Connection", "close");
            ProblemResponses.end(rc.response(), problem, rc.request().path());
        }
    }

    /** Closes the parts' storage streams, then deletes what they wrote. */
    private void cleanup(List<Part> parts) {
        for (Part part : parts) {
            part.close().onComplete(v -> storage.delete(part.key).subscribe().with(ok -> { },
                    e -> LOG.warnf("Could not delete the partial upload %s: %s", part.key, e.getMessage())));
        }
    }

    /** The boundary parameter of a multipart content type (RFC 2046: 1 to 70 characters), or null. */
    static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("boundary")) {
                String value = pair[1].strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.length() > 70 ? null : value;
            }
        }
        return null;
    }

    private static ProblemException malformed(Throwable cause) {
        LOG.debugf("Malformed upload: %s", cause.getMessage());
        return ProblemException.invalidField("file", "the body is not valid multipart/form-data");
    }

    private long quota() {
        return settings.files().maxStoredBytesPerUser();
    }

    private ProblemException quotaReached(long used) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "Storage quota reached: your files may take "
                + quota() + " bytes (suite.task.files.max-stored-bytes-per-user) and take " + used
                + " already; delete some first.", null, null, null);
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "Uploads are limited to " + max + " bytes.",
                null, null, null);
    }

    private ProblemException tooManyParts() {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "Uploads are limited to "
                + settings.files().maxParts() + " parts.", null, null, null);
    }

}
