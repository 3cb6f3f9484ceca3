package dev.suite.session.summaries;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A session's summaries, newest first. */
@RegisterForReflection
public record SummaryListResponse(@Schema(required = true) List<SummaryResponse> items) {
}
