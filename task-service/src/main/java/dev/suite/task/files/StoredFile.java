package dev.suite.task.files;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** A stored file's metadata. */
@RegisterForReflection
public record StoredFile(String fileId, String name, String contentType, long size, String sha256, String taskId,
        Instant createdAt, @JsonIgnore String storageKey) {
}
