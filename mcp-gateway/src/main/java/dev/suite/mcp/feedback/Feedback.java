package dev.suite.mcp.feedback;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/** A feedback request and its answer, as the API shows it; images are listed, not inlined. */
@RegisterForReflection
public record Feedback(String feedbackId, String summary, String status, String answerText, List<Image> images,
        Instant createdAt, Instant expiresAt, Instant answeredAt) {

    public static final String PENDING = "pending";
    public static final String ANSWERED = "answered";
    public static final String TIMED_OUT = "timed_out";

    /** One image of an answer; {@code data} (base64) only where the image itself is wanted. */
    @RegisterForReflection
    public record Image(String imageId, String mimeType, int sizeBytes, String data) {
    }
}
