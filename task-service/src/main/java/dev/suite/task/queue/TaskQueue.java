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
 * Dispatch through Redis, fair between users. Per task type, each user with queued tasks has a
 * sorted set of them, scored so that the lowest score is the highest priority and, within a
 * priority, the oldest; and the type has a ring of those users, scored by the turn each was last
 * served. A claim takes the head of the user whose turn is oldest, so a user with ten thousand
 * queued tasks and another with one alternate: priority orders a user's own tasks, and between
 * users dispatch takes turns. Across types the best head wins. A sorted set of running tasks
 * scored by lease expiry holds the global cap across replicas (entries of a dead replica expire by
 * themselves). MySQL stays the source of truth: what Redis loses, the reconciler puts back.
 */
@ApplicationScoped
public class TaskQueue {

    /**
     * Adds tasks of one user and type (score, id pairs from ARGV[4]) unless queued already; a user
     * new to the type's ring (or missing from it) joins after everyone served so far, before
     * whoever is served next; wakes the dispatchers once (a CloudEvent naming the type). KEYS: the user's set, the ring,
     * the turn counter, the type's depth.
     */
    private static final String ENQUEUE = """
            local added = 0
            for i = 4, #ARGV, 2000 do -- a thousand pairs at a time: Lua unpacks at most ~8,000 values
              added = added + redis.call('ZADD', KEYS[1], 'NX', unpack(ARGV, i, math.min(i + 1999, #ARGV)))
            end
            redis.call('INCRBY', KEYS[4], added)
            if not redis.call('ZSCORE', KEYS[2], ARGV[3]) and redis.call('ZCARD', KEYS[1]) > 0 then
              redis.call('ZADD', KEYS[2], tonumber(redis.call('GET', KEYS[3]) or '0') + 0.5, ARGV[3])
            end
            redis.call('PUBLISH', ARGV[1], '{"specversion":"1.0","type":"task.enqueued","source":"/task-service","subject":"' .. ARGV[2] .. '"}')
            return added
            """;

    /** Takes a task out of its user's set (cancelled, paused); the user leaves the ring when none is left. */
    private static final String REMOVE = """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
              redis.call('DECR', KEYS[4])
              if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[2]) end
            end
            return 1
            """;

    /**
     * Pops up to the wanted number per type, always the best head across types — each type's head
     * being that of its user whose turn is oldest — while the global cap and the replica's free
     * workers allow (types not counted, batch parents, take neither); answers id, type index pairs.
     * KEYS[1] is the running set, then per type its ring, turn counter and depth; ARGV holds now, the
     * lease, the global cap and the free workers, then per type wanted, counted, and the prefix of its
     * user sets.
     */
    private static final String CLAIM = """
            local now = tonumber(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local room = math.min(tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[1]), tonumber(ARGV[4]))
            local types = (#KEYS - 1) / 3
            local want, counted, prefix, out = {}, {}, {}, {}
            for t = 1, types do
              local base = 4 + (t - 1) * 3
              want[t] = tonumber(ARGV[base + 1])
              counted[t] = ARGV[base + 2] == '1'
              prefix[t] = ARGV[base + 3]
            end
            while true do
              local best, bestScore, bestUser = nil, nil, nil
              for t = 1, types do
                if want[t] > 0 and ((not counted[t]) or room > 0) then
                  local ring = KEYS[2 + (t - 1) * 3]
                  local user = redis.call('ZRANGE', ring, 0, 0)[1]
                  local head = user and redis.call('ZRANGE', prefix[t] .. user, 0, 0, 'WITHSCORES') or {}
                  while user and not head[1] do
                    -- a user left in the ring without tasks (Redis lost some): drop them, look again
                    redis.call('ZREM', ring, user)
                    user = redis.call('ZRANGE', ring, 0, 0)[1]
                    head = user and redis.call('ZRANGE', prefix[t] .. user, 0, 0, 'WITHSCORES') or {}
                  end
                  if head[1] and (bestScore == nil or tonumber(head[2]) < bestScore) then
                    best, bestScore, bestUser = t, tonumber(head[2]), user
                  end
                end
              end
              if best == nil then break end
              local ring, turn, depth = KEYS[2 + (best - 1) * 3], KEYS[3 + (best - 1) * 3], KEYS[4 + (best - 1) * 3]
              local mine = prefix[best] .. bestUser
              local id = redis.call('ZPOPMIN', mine)[1]
              redis.call('DECR', depth)
              if redis.call('ZCARD', mine) == 0 then
                redis.call('ZREM', ring, bestUser)
              else
                redis.call('ZADD', ring, redis.call('INCR', turn), bestUser)
              end
              want[best] = want[best] - 1
              if counted[best] then
                room = room - 1
                redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), id)
              end
              table.insert(out, id)
              table.insert(out, tostring(best))
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

    public Uni<Void> enqueue(String taskId, String ownerId, String type, int priority, Instant queuedAt) {
        List<String> args = enqueueArgs(ownerId, type);
        args.add(Double.toString(score(priority, queuedAt)));
        args.add(taskId);
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** Queues new tasks: one Redis call per user and type among them. */
    public Uni<Void> enqueueAll(String ownerId, List<TaskResponse> tasks) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (TaskResponse task : tasks) {
            List<String> args = byType.computeIfAbsent(task.type(), type -> enqueueArgs(ownerId, type));
            args.add(Double.toString(score(task.priority(), task.queuedAt())));
            args.add(task.taskId());
        }
        return Uni.join().all(byType.values().stream()
                        .map(args -> redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid()).toList())
                .andFailFast().replaceWithVoid();
    }

    private List<String> enqueueArgs(String ownerId, String type) {
        return new ArrayList<>(List.of(ENQUEUE, "4", userQueue(type, ownerId), ring(type), turn(type), depthKey(type),
                wakeChannel, type, ownerId));
    }

    public Uni<Void> remove(String taskId, String ownerId, String type) {
        return redis.execute("EVAL", REMOVE, "4", userQueue(type, ownerId), ring(type), turn(type), depthKey(type),
                taskId, ownerId).replaceWithVoid();
    }

    /**
     * @param wanted      how many of each type this replica can start now
     * @param uncounted   types that count against neither the global cap nor the free workers
     * @param freeWorkers how many counted tasks, of all types together, this replica can start now
     */
    public Uni<List<Claimed>> claim(Map<String, Integer> wanted, Set<String> uncounted, int globalCap, int freeWorkers,
            Duration lease) {
        List<String> types = new ArrayList<>(wanted.keySet());
        List<String> args = new ArrayList<>();
        args.add(CLAIM);
        args.add(Integer.toString(types.size() * 3 + 1));
        args.add(running);
        for (String type : types) {
            args.add(ring(type));
            args.add(turn(type));
            args.add(depthKey(type));
        }
        args.add(Long.toString(System.currentTimeMillis()));
        args.add(Long.toString(lease.toMillis()));
        args.add(Integer.toString(globalCap));
        args.add(Integer.toString(freeWorkers));
        for (String type : types) {
            args.add(Integer.toString(wanted.get(type)));
            args.add(uncounted.contains(type) ? "0" : "1");
            args.add(userQueue(type, ""));
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
        return releaseAll(List.of(taskId));
    }

    /** Gives back the room of tasks that ended, in one call. */
    public Uni<Void> releaseAll(List<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(taskIds.size() + 1);
        args.add(running);
        args.addAll(taskIds);
        return redis.execute("ZREM", args.toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<Long> depth(String type) {
        return redis.execute("GET", depthKey(type)).map(reply -> reply == null ? 0L : Math.max(0L, reply.toLong()));
    }

    public Uni<Long> running() {
        return redis.execute("ZCOUNT", running, Long.toString(System.currentTimeMillis()), "+inf").map(Response::toLong);
    }

    /** A user's queued tasks of a type; with an empty user, the prefix of them all. */
    private String userQueue(String type, String ownerId) {
        return names.key("task", "queue", type, "user", ownerId);
    }

    /** The users with queued tasks of a type, by the turn each was last served. */
    private String ring(String type) {
        return names.key("task", "queue", type, "ring");
    }

    private String turn(String type) {
        return names.key("task", "queue", type, "turn");
    }

    private String depthKey(String type) {
        return names.key("task", "queue", type, "depth");
    }
}
