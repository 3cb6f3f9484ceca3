package dev.suite.workflow.scheduling;

import dev.suite.commons.redis.RedisNames;
import dev.suite.workflow.realtime.ExecutionEvents;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Dispatch through Redis, shared by every replica: the queue, a sorted set scored so the lowest
 * score is the highest priority and, within a priority, the oldest; and the running set, scored by
 * lease expiry, whose size is the global cap on running executions (a dead replica's entries
 * expire and the reconciler takes them). MySQL owns the executions' state: what Redis loses, the
 * reconciler puts back.
 */
@ApplicationScoped
public class ExecutionQueue {

    /**
     * Queues an execution unless it is queued already, and wakes the dispatchers; answers its
     * position. With an event (KEYS[2], ARGV[5..8]) the execution is announced in the same step, so
     * its "queued" event always comes before anything a replica does with it.
     */
    private static final String ENQUEUE = """
            if KEYS[2] then
              local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'e', ARGV[5])
              redis.call('PEXPIRE', KEYS[2], ARGV[7])
              redis.call('PUBLISH', ARGV[8], '{"id":"' .. id .. '",' .. string.sub(ARGV[5], 2))
            end
            redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return redis.call('ZRANK', KEYS[1], ARGV[2])
            """;
    private static final String WAKE = "{\"specversion\":\"1.0\",\"type\":\"workflow.queue.wake\",\"source\":\"/workflow-service\"}";

    /**
     * Pops up to ARGV[3] executions while the running set (live leases only) is under the cap
     * ARGV[4]. An id already in the running set (queued twice after Redis lost track of it) is
     * dropped, not claimed again: its owner's lease stays untouched.
     */
    private static final String CLAIM = """
            local now = tonumber(ARGV[1])
            local room = tonumber(ARGV[4]) - redis.call('ZCOUNT', KEYS[2], now, '+inf')
            local want = math.min(room, tonumber(ARGV[3]))
            local out = {}
            if want <= 0 then return out end
            local popped = redis.call('ZPOPMIN', KEYS[1], want)
            for i = 1, #popped, 2 do
              if redis.call('ZADD', KEYS[2], 'NX', now + tonumber(ARGV[2]), popped[i]) == 1 then
                table.insert(out, popped[i])
                table.insert(out, popped[i + 1])
              end
            end
            return out
            """;

    /** Puts claimed executions back at their place in the queue and drops their leases (ARGV: id, score pairs). */
    private static final String UNCLAIM = """
            for i = 1, #ARGV, 2 do
              redis.call('ZREM', KEYS[2], ARGV[i])
              redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
            end
            return #ARGV / 2
            """;

    /** Extends the leases still held; answers the ids whose entry is gone (taken over: stop running them). */
    private static final String RENEW = """
            local lost = {}
            for i = 1, #ARGV - 1 do
              if redis.call('ZSCORE', KEYS[1], ARGV[i + 1]) then
                redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i + 1])
              else
                table.insert(lost, ARGV[i + 1])
              end
            end
            return lost
            """;

    /** Removes and answers the entries whose lease expired before ARGV[1] (at most ARGV[2]). */
    private static final String TAKE_EXPIRED = """
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
            for _, id in ipairs(expired) do redis.call('ZREM', KEYS[1], id) end
            return expired
            """;

    private final ReactiveRedisDataSource redis;
    private final String queue;
    private final String running;
    private final String wakeChannel;

    public ExecutionQueue(ReactiveRedisDataSource redis, RedisNames names) {
        this.redis = redis;
        this.queue = names.key("workflow", "queue");
        this.running = names.key("workflow", "running");
        this.wakeChannel = names.channel("workflow", "wake");
    }

    public String wakeChannel() {
        return wakeChannel;
    }

    static double score(int priority, Instant createdAt) {
        return (9 - priority) * 1e13 + createdAt.toEpochMilli();
    }

    /** Queues an execution and answers its position (0: next). */
    public Uni<Long> enqueue(String executionId, int priority, Instant createdAt) {
        return redis.execute("EVAL", ENQUEUE, "1", queue, Double.toString(score(priority, createdAt)), executionId,
                wakeChannel, WAKE).map(Response::toLong);
    }

    /** Announces the execution with {@code event} and queues it, in one step; answers its position. */
    public Uni<Long> enqueue(String executionId, int priority, Instant createdAt, ExecutionEvents.Prepared event) {
        return redis.execute("EVAL", ENQUEUE, "2", queue, event.stream(), Double.toString(score(priority, createdAt)),
                executionId, wakeChannel, WAKE, event.json(), Integer.toString(event.cap()),
                Long.toString(event.ttlMillis()), event.channel()).map(Response::toLong);
    }

    /** An execution taken from the queue, with its queue score (to put it back where it was). */
    public record Claimed(String executionId, String score) {
    }

    public Uni<List<Claimed>> claim(int wanted, int globalCap, Duration lease) {
        return redis.execute("EVAL", CLAIM, "2", queue, running, Long.toString(System.currentTimeMillis()),
                Long.toString(lease.toMillis()), Integer.toString(wanted), Integer.toString(globalCap))
                .map(reply -> {
                    List<String> flat = strings(reply);
                    List<Claimed> out = new ArrayList<>();
                    for (int i = 0; i + 1 < flat.size(); i += 2) {
                        out.add(new Claimed(flat.get(i), flat.get(i + 1)));
                    }
                    return out;
                });
    }

    /** Undoes a claim that could not be recorded in MySQL: the executions wait again, first in line. */
    public Uni<Void> unclaim(List<Claimed> claimed) {
        List<String> args = new ArrayList<>(List.of(UNCLAIM, "2", queue, running));
        claimed.forEach(c -> {
            args.add(c.executionId());
            args.add(c.score());
        });
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<List<String>> renew(List<String> ids, Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> args = new ArrayList<>(List.of(RENEW, "1", running,
                Long.toString(System.currentTimeMillis() + lease.toMillis())));
        args.addAll(ids);
        return redis.execute("EVAL", args.toArray(String[]::new)).map(ExecutionQueue::strings);
    }

    public Uni<Void> release(String executionId) {
        return redis.execute("ZREM", running, executionId).replaceWithVoid();
    }

    public Uni<Void> remove(String executionId) {
        return redis.execute("ZREM", queue, executionId).replaceWithVoid();
    }

    /** The position in the queue (0: next), or null when not queued. */
    public Uni<Long> position(String executionId) {
        return redis.execute("ZRANK", queue, executionId).map(reply -> reply == null ? null : reply.toLong());
    }

    public Uni<List<String>> takeExpired(int max) {
        return redis.execute("EVAL", TAKE_EXPIRED, "1", running, Long.toString(System.currentTimeMillis()),
                Integer.toString(max)).map(ExecutionQueue::strings);
    }

    /** Of these ids, those in the running set (held leases) — or in the queue with {@code queued}. */
    public Uni<List<String>> present(List<String> ids, boolean queued) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> args = new ArrayList<>();
        args.add(queued ? queue : running);
        args.addAll(ids);
        return redis.execute("ZMSCORE", args.toArray(String[]::new)).map(reply -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (reply.get(i) != null) {
                    out.add(ids.get(i));
                }
            }
            return out;
        });
    }

    /** Queued executions, suite-wide. */
    public Uni<Long> depth() {
        return redis.execute("ZCARD", queue).map(Response::toLong);
    }

    /** Executions holding a live lease, suite-wide. */
    public Uni<Long> runningCount() {
        return redis.execute("ZCOUNT", running, Long.toString(System.currentTimeMillis()), "+inf").map(Response::toLong);
    }

    private static List<String> strings(Response reply) {
        List<String> out = new ArrayList<>();
        if (reply != null) {
            reply.forEach(item -> out.add(item.toString()));
        }
        return out;
    }
}
