package dev.suite.llm.usage;

import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sums the caller's usage rows by config, model, day or model group. */
@ApplicationScoped
public class UsageService {

    private static final Duration DEFAULT_SPAN = Duration.ofDays(30);
    /** group_by → the SQL expression it groups on (a fixed set: never user text in SQL). */
    private static final Map<String, String> GROUPS = Map.of(
            "config", "config_id",
            "model", "model",
            "day", "DATE_FORMAT(created_at, '%Y-%m-%d')",
            "group", "group_id");

    private final Pool pool;

    public UsageService(Pool pool) {
        this.pool = pool;
    }

    public Uni<UsageSummary> summarize(String ownerId, String from, String to, String groupBy) {
        List<FieldError> errors = new ArrayList<>();
        String group = groupBy == null || groupBy.isBlank() ? "config" : groupBy;
        if (!GROUPS.containsKey(group)) {
            errors.add(new FieldError("group_by", "must be config, model, day or group"));
        }
        Instant end = parse(to, "to", errors, Instant.now());
        Instant start = parse(from, "from", errors, end.minus(DEFAULT_SPAN));
        if (errors.isEmpty() && !start.isBefore(end)) {
            errors.add(new FieldError("from", "must be before to"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        String key = GROUPS.get(group);
        // A call of a model without a price has no cost (NULL): SUM skips it, and it is counted as unpriced.
        String sql = "SELECT " + key + " AS k, COUNT(*), SUM(status >= 400), SUM(prompt_tokens), "
                + "SUM(completion_tokens), AVG(latency_ms), AVG(ttft_ms), SUM(cached_tokens), SUM(reasoning_tokens), "
                + "COALESCE(SUM(cost_nanos), 0), COUNT(*) - COUNT(cost_nanos) FROM llm_usage "
                + "WHERE owner_id = ? AND created_at >= ? AND created_at < ? GROUP BY k ORDER BY k";
        return pool.preparedQuery(sql).execute(Tuple.of(ownerId, utc(start), utc(end))).map(rows -> {
            List<UsageSummary.Group> groups = new ArrayList<>();
            for (Row row : rows) {
                long prompt = row.getLong(3);
                long completion = row.getLong(4);
                groups.add(new UsageSummary.Group(row.getString(0), row.getLong(1), row.getLong(2), prompt,
                        completion, prompt + completion, row.getLong(7), row.getLong(8),
                        BigDecimal.valueOf(row.getLong(9), 9), row.getLong(10),
                        row.getDouble(5), row.getDouble(6)));
            }
            return new UsageSummary(start, end, group, groups);
        });
    }

    /** An ISO instant ({@code 2026-11-01T00:00:00Z}) or a day ({@code 2026-11-01}, midnight UTC). */
    private static Instant parse(String value, String field, List<FieldError> errors, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant or date"));
            return fallback;
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
