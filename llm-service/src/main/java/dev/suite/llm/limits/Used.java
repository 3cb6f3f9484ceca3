package dev.suite.llm.limits;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;

/** What a scope has used: over the last minute (sliding), in flight now, and spent this UTC day and month. */
@RegisterForReflection
public record Used(long requestsPerMinute, long tokensPerMinute, long concurrent, BigDecimal spentTodayUsd,
        BigDecimal spentThisMonthUsd) {
}
