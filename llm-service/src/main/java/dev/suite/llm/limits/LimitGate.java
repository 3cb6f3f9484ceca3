package dev.suite.llm.limits;

import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Admits calls under the limits of their scopes, atomically and across replicas, in one Redis
 * script per call: a call is admitted under all of them or counted against none.
 *
 * <p>Rates are sliding-window counters: the count of the current minute plus the previous
 * minute's, weighted by how much of it is still inside the last 60 s. Requests count on admission;
 * tokens on {@link #settle}, once the provider has said how many were used, so a call that starts
 * under the token limit may end over it. Calls in flight are leases in a sorted set, scored by
 * when they lapse, so those of a replica that died free their slot by themselves. Spend per UTC
 * day and month is a counter in billionths of a dollar; when it is missing (a new period, or Redis
 * lost it) it is summed from the usage rows in MySQL first, so a restart of Redis forgets no spend.
 */
@ApplicationScoped
public class LimitGate {

    /** Per scope KEYS (7): rpm now, rpm before, tpm now, tpm before, leases, day spend, month spend. */
    private static final String ADMIT = """
            local now = tonumber(ARGV[1])
            local into = now % 60000
            local frac = into / 60000
            local function count(key) return tonumber(redis.call('GET', key) or '0') end
            -- ms until prev * (1 - f) + cur + 1 <= limit, in this minute or the next
            local function wait(cur, prev, limit)
              local room = limit - cur - 1
              if room >= 0 and prev > 0 then return math.ceil((1 - room / prev) * 60000 - into) end
              local f = 0
              if cur > 0 then f = math.max(0, 1 - (limit - 1) / cur) end
              return math.ceil(60000 - into + f * 60000)
            end
            local n = (#ARGV - 3) / 5
            for i = 0, n - 1 do
              local k, a = i * 7, 3 + i * 5
              local rpm, tpm, conc = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
              if rpm >= 0 then
                local cur, prev = count(KEYS[k + 1]), count(KEYS[k + 2])
                if prev * (1 - frac) + cur + 1 > rpm then return {1, i, 'requests_per_minute', wait(cur, prev, rpm)} end
              end
              if tpm >= 0 then
                local cur, prev = count(KEYS[k + 3]), count(KEYS[k + 4])
                if prev * (1 - frac) + cur + 1 > tpm then return {1, i, 'tokens_per_minute', wait(cur, prev, tpm)} end
              end
              if conc >= 0 then
                redis.call('ZREMRANGEBYSCORE', KEYS[k + 5], '-inf', now)
                if redis.call('ZCARD', KEYS[k + 5]) >= conc then return {1, i, 'max_concurrent', 1000} end
              end
              for p = 0, 1 do
                local budget = tonumber(ARGV[a + 4 + p])
                if budget >= 0 then
                  local spent = redis.call('GET', KEYS[k + 6 + p])
                  if not spent then return {2, i, p} end
                  if tonumber(spent) >= budget then return {1, i, p == 0 and 'daily_budget_usd' or 'monthly_budget_usd', 0, spent} end
                end
              end
            end
            for i = 0, n - 1 do
              local k, a = i * 7, 3 + i * 5
              if tonumber(ARGV[a + 1]) >= 0 then
                redis.call('INCR', KEYS[k + 1])
                redis.call('PEXPIRE', KEYS[k + 1], 120000)
              end
              if tonumber(ARGV[a + 3]) >= 0 then
                redis.call('ZADD', KEYS[k + 5], ARGV[3], ARGV[2])
                redis.call('PEXPIREAT', KEYS[k + 5], tonumber(ARGV[3]) + 60000)
              end
            end
            return {0}
            """;

    /** Per scope KEYS (4): tpm now, leases, day spend, month spend; ARGV: lease, then tokens, cost, release. */
    private static final String SETTLE = """
            for i = 0, #KEYS / 4 - 1 do
              local k, a = i * 4, 1 + i * 3
              local tokens, cost = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
              if tokens > 0 then
                redis.call('INCRBY', KEYS[k + 1], tokens)
                redis.call('PEXPIRE', KEYS[k + 1], 120000)
              end
              if ARGV[a + 3] == '1' then redis.call('ZREM', KEYS[k + 2], ARGV[1]) end
              if cost > 0 then
                for p = 3, 4 do
                  if redis.call('EXISTS', KEYS[k + p]) == 1 then redis.call('INCRBY', KEYS[k + p], cost) end
                end
              end
            end
            return 0
            """;

    /** Per scope KEYS (7) as in ADMIT; answers per scope: requests, tokens, in flight, day and month spend (-1: not known). */
    private static final String PEEK = """
            local now = tonumber(ARGV[1])
            local frac = (now % 60000) / 60000
            local function count(key) return tonumber(redis.call('GET', key) or '0') end
            local out = {}
            for i = 0, #KEYS / 7 - 1 do
              local k = i * 7
              table.insert(out, math.ceil(count(KEYS[k + 2]) * (1 - frac) + count(KEYS[k + 1])))
              table.insert(out, math.ceil(count(KEYS[k + 4]) * (1 - frac) + count(KEYS[k + 3])))
              table.insert(out, redis.call('ZCOUNT', KEYS[k + 5], now, '+inf'))
              table.insert(out, redis.call('GET', KEYS[k + 6]) or '-1')
              table.insert(out, redis.call('GET', KEYS[k + 7]) or '-1')
            end
            return out
            """;

    private static final long MINUTE = 60_000;
    private static final int SEED_ROUNDS = 4;

    private final ReactiveRedisDataSource redis;
    private final RedisNames names;
    private final SpendLedger ledger;

    public LimitGate(ReactiveRedisDataSource redis, RedisNames names, SpendLedger ledger) {
        this.redis = redis;
        this.names = names;
        this.ledger = ledger;
    }

    /**
     * Admits a call under every scope's limits, holding a slot under {@code leaseId} until
     * {@link #settle} or {@code leaseFor}; scopes without limits cost nothing (no Redis call at all
     * when none has any). Fails when Redis does not answer: limits that cannot be checked are not
     * silently lifted.
     */
    public Uni<Verdict> admit(List<Scope> scopes, String ownerId, String leaseId, Duration leaseFor) {
        List<Scope> limited = scopes.stream().filter(s -> !s.limits().isEmpty()).toList();
        if (limited.isEmpty()) {
            return Uni.createFrom().item(Verdict.ADMITTED);
        }
        return admit(limited, ownerId, leaseId, leaseFor, 0);
    }

    private Uni<Verdict> admit(List<Scope> scopes, String ownerId, String leaseId, Duration leaseFor, int round) {
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>();
        args.add(ADMIT);
        args.add(Integer.toString(scopes.size() * 7));
        for (Scope scope : scopes) {
            args.addAll(keys(scope, now));
        }
        args.add(Long.toString(now));
        args.add(leaseId);
        args.add(Long.toString(now + leaseFor.toMillis()));
        for (Scope scope : scopes) {
            Limits l = scope.limits();
            args.add(orNone(l.requestsPerMinute()));
            args.add(orNone(l.tokensPerMinute()));
            args.add(orNone(l.maxConcurrent()));
            args.add(nanosOrNone(l.dailyBudgetUsd()));
            args.add(nanosOrNone(l.monthlyBudgetUsd()));
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).chain(reply -> {
            int outcome = reply.get(0).toInteger();
            if (outcome == 0) {
                return Uni.createFrom().item(Verdict.ADMITTED);
            }
            Scope scope = scopes.get(reply.get(1).toInteger());
            if (outcome == 2 && round < SEED_ROUNDS) {
                Period period = reply.get(2).toInteger() == 0 ? Period.day(now) : Period.month(now);
                return seed(scope, ownerId, period).chain(() -> admit(scopes, ownerId, leaseId, leaseFor, round + 1));
            }
            if (outcome == 2) {
                throw new IllegalStateException("spend of " + scope.label() + " could not be seeded");
            }
            return Uni.createFrom().item(Verdict.refused(scope, reply.get(2).toString(), reply.get(3).toLong(),
                    reply.size() > 4 ? Long.parseLong(reply.get(4).toString()) : 0, now));
        });
    }

    /**
     * Ends a call's hold: frees its slots and adds what it used — its tokens and cost count against
     * every scope but the configs that did not answer it ({@code answeredBy} is the config that did).
     */
    public Uni<Void> settle(List<Scope> held, String leaseId, String answeredBy, long tokens, long costNanos) {
        List<Scope> limited = held.stream().filter(s -> !s.limits().isEmpty()).toList();
        if (limited.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        values.add(leaseId);
        for (Scope scope : limited) {
            List<String> all = keys(scope, now);
            keys.add(all.get(2));
            keys.add(all.get(4));
            keys.add(all.get(5));
            keys.add(all.get(6));
            boolean counts = !scope.kind().equals("config") || scope.id().equals(answeredBy);
            Limits l = scope.limits();
            values.add(Long.toString(counts && l.tokensPerMinute() != null ? tokens : 0));
            values.add(Long.toString(counts && (l.dailyBudgetUsd() != null || l.monthlyBudgetUsd() != null) ? costNanos : 0));
            values.add(l.maxConcurrent() != null ? "1" : "0");
        }
        List<String> args = new ArrayList<>();
        args.add(SETTLE);
        args.add(Integer.toString(keys.size()));
        args.addAll(keys);
        args.addAll(values);
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** What each scope has used: this minute's requests and tokens, calls in flight, spend this day and month. */
    public Uni<List<Used>> peek(List<Scope> scopes, String ownerId) {
        if (scopes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>();
        args.add(PEEK);
        args.add(Integer.toString(scopes.size() * 7));
        for (Scope scope : scopes) {
            args.addAll(keys(scope, now));
        }
        args.add(Long.toString(now));
        return redis.execute("EVAL", args.toArray(String[]::new)).chain(reply -> {
            List<Uni<Used>> used = new ArrayList<>();
            for (int i = 0; i < scopes.size(); i++) {
                int at = i * 5;
                Scope scope = scopes.get(i);
                long day = Long.parseLong(reply.get(at + 3).toString());
                long month = Long.parseLong(reply.get(at + 4).toString());
                // Spend Redis does not hold yet is summed from MySQL (without seeding it: only admission seeds).
                Uni<Long> daySpent = day >= 0 ? Uni.createFrom().item(day) : ledger.spent(scope, ownerId, Period.day(now).start());
                Uni<Long> monthSpent = month >= 0 ? Uni.createFrom().item(month)
                        : ledger.spent(scope, ownerId, Period.month(now).start());
                long requests = reply.get(at).toLong();
                long tokens = reply.get(at + 1).toLong();
                long inFlight = reply.get(at + 2).toLong();
                used.add(daySpent.chain(d -> monthSpent.map(m -> new Used(requests, tokens, inFlight, usd(d), usd(m)))));
            }
            return Uni.join().all(used).andFailFast();
        });
    }

    private Uni<Void> seed(Scope scope, String ownerId, Period period) {
        return ledger.spent(scope, ownerId, period.start()).chain(spent -> redis.execute("SET", spendKey(scope, period),
                Long.toString(spent), "NX", "PXAT", Long.toString(period.end().toEpochMilli() + 3_600_000L))).replaceWithVoid();
    }

    private List<String> keys(Scope scope, long now) {
        long minute = now / MINUTE;
        return List.of(key(scope, "rpm", Long.toString(minute)), key(scope, "rpm", Long.toString(minute - 1)),
                key(scope, "tpm", Long.toString(minute)), key(scope, "tpm", Long.toString(minute - 1)),
                key(scope, "inflight"), spendKey(scope, Period.day(now)), spendKey(scope, Period.month(now)));
    }

    private String spendKey(Scope scope, Period period) {
        return key(scope, "spend", period.name());
    }

    private String key(Scope scope, String... parts) {
        String[] all = new String[parts.length + 3];
        all[0] = "limit";
        all[1] = scope.kind();
        all[2] = scope.id();
        System.arraycopy(parts, 0, all, 3, parts.length);
        return names.key("llm", all);
    }

    private static String orNone(Number limit) {
        return limit == null ? "-1" : limit.toString();
    }

    private static String nanosOrNone(BigDecimal usd) {
        return usd == null ? "-1" : usd.movePointRight(9).toBigInteger().toString();
    }

    static BigDecimal usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9);
    }

    /** A UTC day or month: its name in keys, when it began and when it ends. */
    record Period(String name, Instant start, Instant end) {

        static Period day(long nowMillis) {
            LocalDate day = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate();
            return new Period("day:" + day, day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        static Period month(long nowMillis) {
            LocalDate first = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
            return new Period("month:" + first.toString().substring(0, 7), first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
    }
}
