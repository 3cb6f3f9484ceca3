package dev.suite.commons.timer;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Redis side of timed work whose truth is in MySQL (recurring tasks, workflow schedules, approval
 * timeouts): a sorted set of ids scored by the epoch millisecond each is due. Every replica claims
 * from it; a claim moves what it takes a lease ahead, so one replica handles an item at a time and a
 * replica that dies leaves it to be claimed again when the lease lapses. Whoever handles an item puts
 * its next due time (or removes it). What Redis loses, the owner's reconciler adds back from MySQL
 * ({@link #putAbsent}), without disturbing items under a lease.
 */
public final class DueSet {

    /**
     * Takes up to ARGV[2] items due at ARGV[1], moving each to now + ARGV[3]; answers id, due pairs,
     * then the earliest score left (the next wake-up), or nothing when the set is empty.
     */
    private static final String CLAIM = """
            local now = tonumber(ARGV[1])
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
            local out = {}
            for i = 1, #due, 2 do
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), due[i])
              table.insert(out, due[i])
              table.insert(out, due[i + 1])
            end
            local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            table.insert(out, first[2] or '')
            return out
            """;

    /** One claimed item: its id and the time it was due. */
    public record Due(String id, Instant at) {
    }

    /** What a claim took, and when the earliest item left is due (null: nothing left). */
    public record Claim(List<Due> items, Instant next) {
    }

    private final ReactiveRedisDataSource redis;
    private final String key;

    public DueSet(ReactiveRedisDataSource redis, String key) {
        this.redis = redis;
        this.key = key;
    }

    public Uni<Claim> claim(Instant now, int max, Duration lease) {
        return redis.execute("EVAL", CLAIM, "1", key, Long.toString(now.toEpochMilli()), Integer.toString(max),
                Long.toString(lease.toMillis())).map(reply -> {
                    List<Due> items = new ArrayList<>();
                    for (int i = 0; i + 1 < reply.size(); i += 2) {
                        items.add(new Due(reply.get(i).toString(), Instant.ofEpochMilli((long) Double.parseDouble(reply.get(i + 1).toString()))));
                    }
                    String first = reply.get(reply.size() - 1).toString();
                    return new Claim(items, first.isEmpty() ? null : Instant.ofEpochMilli((long) Double.parseDouble(first)));
                });
    }

    /** Sets when each item is due next; a null time removes the item. One round trip for all. */
    public Uni<Void> put(Map<String, Instant> next) {
        List<String> add = new ArrayList<>(List.of("ZADD", key));
        List<String> remove = new ArrayList<>(List.of("ZREM", key));
        next.forEach((id, at) -> {
            if (at == null) {
                remove.add(id);
            } else {
                add.add(Long.toString(at.toEpochMilli()));
                add.add(id);
            }
        });
        Uni<Response> added = add.size() > 2 ? redis.execute(add.get(0), add.subList(1, add.size()).toArray(String[]::new))
                : Uni.createFrom().nullItem();
        return added.chain(() -> remove.size() > 2
                        ? redis.execute(remove.get(0), remove.subList(1, remove.size()).toArray(String[]::new))
                        : Uni.createFrom().nullItem())
                .replaceWithVoid();
    }

    /** Adds items not in the set (Redis lost them, or they were written while it was away); items present keep their time. */
    public Uni<Void> putAbsent(Map<String, Instant> due) {
        if (due.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(List.of(key, "NX"));
        due.forEach((id, at) -> {
            args.add(Long.toString(at.toEpochMilli()));
            args.add(id);
        });
        return redis.execute("ZADD", args.toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<Void> remove(String id) {
        return redis.execute("ZREM", key, id).replaceWithVoid();
    }
}
