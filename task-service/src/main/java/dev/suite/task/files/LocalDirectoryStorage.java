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
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Blobs as files under {@code suite.task.files.directory}, two levels of sub-directories deep,
 * readable by the service's user only (files 0600, directories 0700): other users of the host
 * have no business with anyone's uploads.
 */
@ApplicationScoped
public class LocalDirectoryStorage implements BlobStorage {

    private static final String FILE_PERMS = "rw-------";
    private static final String DIR_PERMS = "rwx------";

    private final Vertx vertx;
    private final Path root;

    public LocalDirectoryStorage(Vertx vertx, TaskSettings settings) throws IOException {
        this.vertx = vertx;
        this.root = Path.of(settings.files().directory()).toAbsolutePath();
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_PERMS)));
        // A root made by an earlier version (or by hand) is closed too: nothing beneath is reachable then.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString(DIR_PERMS));
    }

    @Override
    public Uni<WriteStream<Buffer>> create(String key) {
        Path path = localPath(key);
        return Uni.createFrom().completionStage(() -> vertx.fileSystem().mkdirs(path.getParent().toString(), DIR_PERMS)
                .compose(ok -> vertx.fileSystem().open(path.toString(),
                        new OpenOptions().setCreateNew(true).setWrite(true).setPerms(FILE_PERMS)))
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
        Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_PERMS)));
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        // A tool's output keeps the mode the tool gave it; stored, it is the owner's only.
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(FILE_PERMS));
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
