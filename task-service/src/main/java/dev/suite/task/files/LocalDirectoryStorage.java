package dev.suite.task.files;

import dev.suite.task.TaskSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Blobs as files under {@code suite.task.files.directory}, two levels of sub-directories deep. */
@ApplicationScoped
public class LocalDirectoryStorage implements BlobStorage {

    private final Vertx vertx;
    private final Path root;

    public LocalDirectoryStorage(Vertx vertx, TaskSettings settings) throws IOException {
        this.vertx = vertx;
        this.root = Path.of(settings.files().directory()).toAbsolutePath();
        Files.createDirectories(root);
    }

    @Override
    public Uni<WriteStream<Buffer>> create(String key) {
        Path path = localPath(key);
        return Uni.createFrom().completionStage(() -> vertx.fileSystem().mkdirs(path.getParent().toString())
                .compose(ok -> vertx.fileSystem().open(path.toString(), new OpenOptions().setCreateNew(true).setWrite(true)))
                .map(file -> (WriteStream<Buffer>) file).toCompletionStage());
    }

    @Override
    public Uni<Void> send(HttpServerResponse response, String key, long offset, long length) {
        return Uni.createFrom().completionStage(() -> response.sendFile(localPath(key).toString(), offset, length)
                .toCompletionStage());
    }

    @Override
    public void put(Path source, String key) throws IOException {
        Path target = localPath(key);
        Files.createDirectories(target.getParent());
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Path localPath(String key) {
        return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
    }

    @Override
    public Uni<Void> delete(String key) {
        return Uni.createFrom().completionStage(() -> vertx.fileSystem().delete(localPath(key).toString())
                .recover(e -> io.vertx.core.Future.succeededFuture()).toCompletionStage());
    }
}
