package dev.suite.commons.timer;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CronTest {

    private static Instant next(String cron, String zone, String after) {
        return Cron.parse(cron, zone).next(Instant.parse(after));
    }

    @Test
    void fiveFieldsAreCrontabAndSixHaveSecondsFirst() {
        assertEquals(Instant.parse("2026-12-07T09:15:00Z"), next("15 9 * * *", "UTC", "2026-12-07T09:00:00Z"));
        assertEquals(Instant.parse("2026-12-07T09:00:01Z"), next("* * * * * *", "UTC", "2026-12-07T09:00:00Z"));
        assertEquals(Instant.parse("2026-12-07T09:00:30Z"), next("*/30 * * * * *", "UTC", "2026-12-07T09:00:00.200Z"));
        assertEquals(Instant.parse("2026-12-07T09:00:01Z"), next("* * * * * *", "UTC", "2026-12-07T09:00:00.620Z"));
        assertEquals(Instant.parse("2026-12-08T00:00:00Z"), next("@daily", "UTC", "2026-12-07T09:00:00Z"));
        // Monday to Friday at nine: from a Saturday, the next Monday.
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), next("0 9 * * MON-FRI", "UTC", "2026-12-05T10:00:00Z"));
    }

    @Test
    void theZoneDecidesTheLocalTimeAcrossDaylightSaving() {
        // Nine in Paris: 08:00Z in winter, 07:00Z in summer.
        assertEquals(Instant.parse("2026-12-07T08:00:00Z"), next("0 9 * * *", "Europe/Paris", "2026-12-07T00:00:00Z"));
        assertEquals(Instant.parse("2026-07-07T07:00:00Z"), next("0 9 * * *", "Europe/Paris", "2026-07-07T00:00:00Z"));
        // 02:30 does not exist in Paris on 2026-03-29 (02:00 → 03:00): it fires at the first instant after.
        Instant skipped = next("30 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z");
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), skipped);
        // 02:30 happens twice on 2026-10-25: once.
        Instant first = next("30 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), first);
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), Cron.parse("30 2 * * *", "Europe/Paris").next(first));
    }

    @Test
    void badExpressionsAndZonesAreNamed() {
        assertEquals("cron", assertThrows(Cron.InvalidException.class, () -> Cron.parse("* * *", "UTC")).field());
        assertEquals("cron", assertThrows(Cron.InvalidException.class, () -> Cron.parse("61 * * * *", "UTC")).field());
        assertEquals("cron", assertThrows(Cron.InvalidException.class, () -> Cron.parse("0 0 30 2 *", "UTC")).field());
        assertEquals("cron", assertThrows(Cron.InvalidException.class, () -> Cron.parse("@sometimes", "UTC")).field());
        assertEquals("time_zone", assertThrows(Cron.InvalidException.class, () -> Cron.parse("* * * * *", "Mars/Olympus")).field());
    }
}
