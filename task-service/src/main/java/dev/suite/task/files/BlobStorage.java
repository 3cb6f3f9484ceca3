package dev.suite.task.files;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Path;

/**
 * Where file bytes live, by key. The local-directory implementation is the one used here (a
 * PersistentVolume in Kubernetes); an S3-style store implements the same operations (a multipart
 * upload for {@link #create}, a ranged GET for {@link #send}, a download to a temporary file for
 * {@link #localPath}).
 */
public interface BlobStorage {

    /** A stream to write a new blob; ended by the caller, discarded with {@link #delete} on failure. */
    Uni<WriteStream<Buffer>> create(String key);

    /** Sends {@code length} bytes from {@code offset} as the response body. */
    Uni<Void> send(HttpServerResponse response, String key, long offset, long length);

    /** Moves a finished local file (a processor's output) into the storage. Blocking. */
    void put(Path source, String key) throws java.io.IOException;

    /** A local path to read the blob from. Blocking. */
    Path localPath(String key);

    Uni<Void> delete(String key);
}
