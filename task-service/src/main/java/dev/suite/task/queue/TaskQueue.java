package dev.suite.task.queue;

import dev.suite.commons.redis.RedisNames;
import dev.suite.task.tasks.dto.TaskResponse;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dispatch through Redis: a sorted set per task type, scored so that the lowest score is the
 * highest priority and, within a priority, the oldest; and a sorted set of running tasks scored by
 * lease expiry, which holds the global cap across replicas (entries of a dead replica expire by
 * themselves). MySQL stays the source of truth: what Redis loses, the reconciler puts back.
 */
@ApplicationScoped
public class TaskQueue {

    /**
     * Adds tasks of one type (score, id pairs from ARGV[3]) unless queued already, and wakes the
     * dispatchers once (a CloudEvent naming the type).
     */
    private static final String ENQUEUE = """
            redis.call('ZADD', KEYS[1], 'NX', unpack(ARGV, 3))
            redis.call('PUBLISH', ARGV[1], '{"specversion":"1.0","type":"task.enqueued","source":"/task-service","subject":"' .. ARGV[2] .. '"}')
            return 1
            """;

    /**
     * Pops up to the wanted number per queue, always the best head across queues, while the global
     * cap allows (queues not counted against it take no room); answers id, queue index pairs.
     */
    private static final String CLAIM = """
            local now = tonumber(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local room = tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[1])
            local want, counted, out = {}, {}, {}
            for i = 2, #KEYS do
              want[i] = tonumber(ARGV[4 + (i - 2) * 2])
              counted[i] = ARGV[5 + (i - 2) * 2] == '1'
            end
            while true do
              local best, bestScore = nil, nil
              for i = 2, #KEYS do
                if want[i] > 0 and ((not counted[i]) or room > 0) then
                  local head = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
                  if head[1] and (bestScore == nil or tonumber(head[2]) < bestScore) then
                    best = i
                    bestScore = tonumber(head[2])
                  end
                end
              end
              if best == nil then break end
              local id = redis.call('ZPOPMIN', KEYS[best])[1]
              want[best] = want[best] - 1
              if counted[best] then
                room = room - 1
                redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), id)
              end
              table.insert(out, id)
              table.insert(out, tostring(best - 1))
            end
            return out
            """;

    /** A task popped for this replica, and its type. */
    public record Claimed(String taskId, String type) {
    }

    private final ReactiveRedisDataSource redis;
    private final RedisNames names;
    private final String running;
    private final String wakeChannel;

    public TaskQueue(ReactiveRedisDataSource redis, RedisNames names) {
        this.redis = redis;
        this.names = names;
        this.running = names.key("task", "running");
        this.wakeChannel = names.channel("task", "wake");
    }

    public String wakeChannel() {
        return wakeChannel;
    }

    static double score(int priority, Instant queuedAt) {
        return (9 - priority) * 1e13 + queuedAt.toEpochMilli();
    }

    public Uni<Void> enqueue(String taskId, String type, int priority, Instant queuedAt) {
        return redis.execute("EVAL", ENQUEUE, "1", queue(type), wakeChannel, type, Double.toString(score(priority, queuedAt)),
                taskId).replaceWithVoid();
    }

    /** Queues new tasks: one Redis call per type among them. */
    public Uni<Void> enqueueAll(List<TaskResponse> tasks) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (TaskResponse task : tasks) {
            List<String> args = byType.computeIfAbsent(task.type(), type -> new ArrayList<>(List.of(ENQUEUE, "1",
                    queue(type), wakeChannel, type)));
            args.add(Double.toString(score(task.priority(), task.queuedAt())));
            args.add(task.taskId());
        }
        return Uni.join().all(byType.values().stream()
                        .map(args -> redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid()).toList())
                .andFailFast().replaceWithVoid();
    }

    public Uni<Void> remove(String taskId, String type) {
        return redis.execute("ZREM", queue(type), taskId).replaceWithVoid();
    }

    /**
     * @param wanted    how many of each type this replica can start now
     * @param uncounted types that do not count against the global cap
     */
    public Uni<List<Claimed>> claim(Map<String, Integer> wanted, Set<String> uncounted, int globalCap, Duration lease) {
        List<String> types = new ArrayList<>(wanted.keySet());
        List<String> args = new ArrayList<>();
        args.add(CLAIM);
        args.add(Integer.toString(types.size() + 1));
        args.add(running);
        types.forEach(type -> args.add(queue(type)));
        args.add(Long.toString(System.currentTimeMillis()));
        args.add(Long.toString(lease.toMillis()));
        args.add(Integer.toString(globalCap));
        for (String type : types) {
            args.add(Integer.toString(wanted.get(type)));
            args.add(uncounted.contains(type) ? "0" : "1");
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).map(reply -> {
            List<Claimed> out = new ArrayList<>();
            for (int i = 0; reply != null && i + 1 < reply.size(); i += 2) {
                out.add(new Claimed(reply.get(i).toString(), types.get(Integer.parseInt(reply.get(i + 1).toString()) - 1)));
            }
            return out;
        });
    }

    /** Keeps the running entries of these tasks alive until {@code until}. */
    public Uni<Void> renew(List<String> taskIds, Instant until) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(List.of(running, "XX"));
        for (String id : taskIds) {
            args.add(Long.toString(until.toEpochMilli()));
            args.add(id);
        }
        return redis.execute("ZADD", args.toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<Void> release(String taskId) {
        return redis.execute("ZREM", running, taskId).replaceWithVoid();
    }

    public Uni<Long> depth(String type) {
        return redis.execute("ZCARD", queue(type)).map(Response::toLong);
    }

    public Uni<Long> running() {
        return redis.execute("ZCOUNT", running, Long.toString(System.currentTimeMillis()), "+inf").map(Response::toLong);
    }

    private String queue(String type) {
        return names.key("task", "queue", type);
    }
}
