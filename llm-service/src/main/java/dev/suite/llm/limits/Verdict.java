package dev.suite.llm.limits;

import dev.suite.llm.chat.ChatException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** Whether a call was admitted and, if not, under which scope's limit, and when to try again. */
public record Verdict(Scope scope, String limit, Duration retryAfter, long spentNanos, Instant renewsAt) {

    public static final Verdict ADMITTED = new Verdict(null, null, null, 0, null);

    static Verdict refused(Scope scope, String limit, long retryMillis, long spentNanos, long nowMillis) {
        Instant renews = switch (limit) {
            case "daily_budget_usd" -> LimitGate.Period.day(nowMillis).end();
            case "monthly_budget_usd" -> LimitGate.Period.month(nowMillis).end();
            default -> Instant.ofEpochMilli(nowMillis + Math.max(1000, retryMillis));
        };
        return new Verdict(scope, limit, Duration.between(Instant.ofEpochMilli(nowMillis), renews), spentNanos, renews);
    }

    public boolean admitted() {
        return scope == null;
    }

    public boolean budget() {
        return limit != null && limit.endsWith("_budget_usd");
    }

    /**
     * The answer to the caller: 429 with {@code Retry-After}; {@code rate_limit_exceeded} for a
     * rate or concurrency limit, {@code budget_exceeded} (type {@code insufficient_quota}, as
     * OpenAI answers a spent quota) naming the budget for a spend limit.
     */
    public ChatException error() {
        Limits l = scope.limits();
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        String message = switch (limit) {
            case "requests_per_minute" -> "Rate limit of " + scope.label() + " reached: " + l.requestsPerMinute()
                    + " requests per minute. Try again in " + seconds + " s.";
            case "tokens_per_minute" -> "Token limit of " + scope.label() + " reached: " + l.tokensPerMinute()
                    + " tokens per minute. Try again in " + seconds + " s.";
            case "max_concurrent" -> "Concurrency limit of " + scope.label() + " reached: " + l.maxConcurrent()
                    + " calls in flight at once.";
            case "daily_budget_usd" -> "The daily budget of " + scope.label() + " is spent: $" + dollars(spentNanos)
                    + " of $" + l.dailyBudgetUsd().toPlainString() + " this UTC day. It renews at " + renewsAt + ".";
            default -> "The monthly budget of " + scope.label() + " is spent: $" + dollars(spentNanos)
                    + " of $" + l.monthlyBudgetUsd().toPlainString() + " this UTC month. It renews at " + renewsAt + ".";
        };
        return budget()
                ? new ChatException(429, "insufficient_quota", "budget_exceeded", message, retryAfter, false)
                : new ChatException(429, "rate_limit_error", "rate_limit_exceeded", message, retryAfter, false);
    }

    private static String dollars(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(4, RoundingMode.HALF_UP).toPlainString();
    }
}
