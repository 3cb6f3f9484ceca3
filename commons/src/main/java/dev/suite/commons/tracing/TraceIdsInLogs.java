package dev.suite.commons.tracing;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Names the trace ids of a log line as the rest of the suite's wire does: Quarkus keeps them in the
 * log context as {@code traceId} and {@code spanId}; log collectors reading the JSON console log
 * (SUITE_LOG_JSON) find them as {@code trace_id} and {@code span_id}, beside {@code request_id}.
 * Lets every record through.
 */
@LoggingFilter(name = "suite-trace-ids")
public final class TraceIdsInLogs implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String traceId = ext.getMdc("traceId");
            if (traceId != null) {
                ext.putMdc("trace_id", traceId);
                ext.removeMdc("traceId");
                String spanId = ext.getMdc("spanId");
                if (spanId != null) {
                    ext.putMdc("span_id", spanId);
                    ext.removeMdc("spanId");
                }
            }
        }
        return true;
    }
}
