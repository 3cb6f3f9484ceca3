package dev.suite.commons.timer;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Locale;
import java.util.Map;

/**
 * A cron expression read in a time zone: five fields (minute hour day-of-month month day-of-week,
 * as crontab), six with seconds first (as Spring and Quartz), or a macro ({@code @hourly},
 * {@code @daily} …). Times are computed in the zone, so "0 9 * * MON-FRI" in Europe/Paris fires at
 * nine there in summer and winter alike; a local time skipped by a daylight-saving change fires at
 * the first instant after it, and a local time that happens twice fires once.
 */
public final class Cron {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final int MAX_LENGTH = 200;

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private Cron(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** Thrown with a message fit for a field error. */
    public static final class InvalidException extends IllegalArgumentException {
        private final String field;

        InvalidException(String field, String message) {
            super(message);
            this.field = field;
        }

        /** {@code cron} or {@code time_zone}. */
        public String field() {
            return field;
        }
    }

    /** The zone of that name (UTC when null). */
    public static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone == null ? "UTC" : timeZone);
        } catch (DateTimeException e) {
            throw new InvalidException("time_zone", "must be an IANA time zone such as Europe/Paris or UTC");
        }
    }

    public static Cron parse(String expression, String timeZone) {
        return parse(expression, zone(timeZone));
    }

    public static Cron parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank() || expression.length() > MAX_LENGTH) {
            throw new InvalidException("cron", "must be a cron expression of 5 or 6 fields, or a macro such as @daily");
        }
        String text = expression.trim().replaceAll("\\s+", " ");
        String unix = MACROS.get(text.toLowerCase(Locale.ROOT));
        int fields = text.split(" ").length;
        CronParser parser = unix != null || fields == 5 ? UNIX : fields == 6 ? WITH_SECONDS : null;
        if (parser == null) {
            throw new InvalidException("cron", "must have 5 fields (minute hour day month weekday), 6 with seconds first, "
                    + "or be a macro such as @daily");
        }
        try {
            ExecutionTime times = ExecutionTime.forCron(parser.parse(unix != null ? unix : text).validate());
            Cron cron = new Cron(text, zone, times);
            if (cron.next(Instant.now()) == null) {
                throw new InvalidException("cron", "never fires");
            }
            return cron;
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidException invalid) {
                throw invalid;
            }
            throw new InvalidException("cron", "is not a valid cron expression: " + e.getMessage());
        }
    }

    /** The first firing strictly after {@code after}, on a whole second; null when there is none. */
    public Instant next(Instant after) {
        // From the whole second: the library keeps the fraction of the start in what it answers.
        after = after.truncatedTo(ChronoUnit.SECONDS);
        Instant regular = times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant).orElse(null);
        ZoneOffsetTransition change = zone.getRules().nextTransition(after);
        if (change == null || !change.isGap() || (regular != null && regular.isBefore(change.getInstant()))) {
            return regular;
        }
        // The clocks jump forward before the next firing: a local time in the skipped hour would have
        // fired (read in the offset before the jump). Cron runs such a job right after the jump
        // rather than skipping a day; so does this.
        LocalDateTime skipped = times.nextExecution(ZonedDateTime.ofInstant(after, change.getOffsetBefore()))
                .map(ZonedDateTime::toLocalDateTime).orElse(null);
        boolean inGap = skipped != null && !skipped.isBefore(change.getDateTimeBefore())
                && skipped.isBefore(change.getDateTimeAfter());
        return inGap ? change.getInstant() : regular;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }
}
