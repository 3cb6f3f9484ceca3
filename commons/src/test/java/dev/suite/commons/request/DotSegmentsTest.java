package dev.suite.commons.request;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DotSegmentsTest {

    @Test
    void dotSegmentsPlainOrEncodedAreFoundAndDotsInNamesAreNot() {
        assertTrue(RequestHeadLimits.hasDotSegment("/api/workflows/w/triggers/.."));
        assertTrue(RequestHeadLimits.hasDotSegment("/api/hooks/%2e%2e/workflows"));
        assertTrue(RequestHeadLimits.hasDotSegment("/api/hooks/%2E./x"));
        assertTrue(RequestHeadLimits.hasDotSegment("/api/./x"));
        assertFalse(RequestHeadLimits.hasDotSegment("/api/v1/files/report.v2.pdf"));
        assertFalse(RequestHeadLimits.hasDotSegment("/api/llm/prices/gpt-4.1"));
        assertFalse(RequestHeadLimits.hasDotSegment("/api/x/..%2F..%2Fq"));
        assertFalse(RequestHeadLimits.hasDotSegment("/.well-known/oauth-protected-resource"));
    }
}
