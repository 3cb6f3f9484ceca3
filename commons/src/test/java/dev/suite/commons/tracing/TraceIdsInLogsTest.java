package dev.suite.commons.tracing;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceIdsInLogsTest {

    @Test
    void aTracedLineCarriesTraceIdAndSpanIdBesideTheRequestId() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "answered", TraceIdsInLogsTest.class.getName());
        record.setMdc(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7",
                "request_id", "r-1"));
        assertTrue(new TraceIdsInLogs().isLoggable(record));
        Map<String, String> mdc = record.getMdcCopy();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", mdc.get("trace_id"));
        assertEquals("00f067aa0ba902b7", mdc.get("span_id"));
        assertEquals("r-1", mdc.get("request_id"));
        assertEquals(null, mdc.get("traceId"));
    }

    @Test
    void anUntracedLineIsLeftAsItIs() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "answered", TraceIdsInLogsTest.class.getName());
        record.setMdc(Map.of("request_id", "r-2"));
        assertTrue(new TraceIdsInLogs().isLoggable(record));
        assertEquals(Map.of("request_id", "r-2"), record.getMdcCopy());
    }
}
