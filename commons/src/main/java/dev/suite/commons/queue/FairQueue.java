package dev.suite.commons.queue;

import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis side of a durable work queue whose truth is in MySQL: task-service and
 * workflow-service each have one. Work waits in lanes (task types; executions have a single
 * lane). In a lane, each user with queued work has a sorted set of it, scored so that the lowest
 * score is the highest priority and, within a priority, the oldest; and the lane has a ring of
 * those users, scored by the turn each was last served. A claim takes the head of the user whose
 * turn is oldest, so a user with ten thousand queued items and another with one alternate:
 * priority orders a user's own work, and between users dispatch takes turns. Across lanes the best
 * head wins. The running set, scored by lease expiry, holds the global cap across replicas (the
 * entries of a dead replica stop counting when their lease lapses, and the reconciler takes them).
 * What Redis loses, the service's reconciler puts back from MySQL: queueing is idempotent.
 */
public final class FairQueue {

    /**
     * Where an item waits: the number of items dispatch takes before it if nothing else is queued —
     * its rank among its user's items, plus, from every other user in the lane's ring, as many items
     * as they get turns before it (one more for a user whose turn comes first). -1 when not queued.
     */
    private static final String POSITIONS = """
            local function positions(ring, prefix, owner, ids)
              local out = {}
              local mine = redis.call('ZSCORE', ring, owner)
              local others = {}
              if mine then
                local all = redis.call('ZRANGE', ring, 0, -1, 'WITHSCORES')
                for j = 1, #all, 2 do
                  local turn = tonumber(all[j + 1])
                  if all[j] ~= owner then -- ahead in the ring: an earlier turn, or the same one and a lower name
                    local ahead = turn < tonumber(mine) or (turn == tonumber(mine) and all[j] < owner)
                    table.insert(others, {redis.call('ZCARD', prefix .. all[j]), ahead})
                  end
                end
              end
              for _, id in ipairs(ids) do
                local rank = mine and redis.call('ZRANK', prefix .. owner, id)
                if rank then
                  local position = rank
                  for _, other in ipairs(others) do
                    position = position + math.min(other[1], rank + (other[2] and 1 or 0))
                  end
                  table.insert(out, position)
                else
                  table.insert(out, -1)
                end
              end
              return out
            end
            """;

    /**
     * Adds one user's items to a lane (score, id pairs from ARGV[6]) unless queued already; a user
     * new to the lane's ring (or missing from it) joins after everyone served so far, before whoever
     * is served next; wakes the dispatchers once. Answers how many were new, then, when ARGV[5] is 1,
     * the position of each item. KEYS: the ring, the turn counter, the depth.
     * ARGV: the wake channel, the wake event, the user, the prefix of the lane's user sets, whether
     * to answer positions.
     */
    private static final String ENQUEUE = POSITIONS + """
            local mine = ARGV[4] .. ARGV[3]
            local added = 0
            for i = 6, #ARGV, 2000 do -- a thousand pairs at a time: Lua unpacks at most ~8,000 values
              added = added + redis.call('ZADD', mine, 'NX', unpack(ARGV, i, math.min(i + 1999, #ARGV)))
            end
            redis.call('INCRBY', KEYS[3], added)
            if not redis.call('ZSCORE', KEYS[1], ARGV[3]) and redis.call('ZCARD', mine) > 0 then
              redis.call('ZADD', KEYS[1], tonumber(redis.call('GET', KEYS[2]) or '0') + 0.5, ARGV[3])
            end
            redis.call('PUBLISH', ARGV[1], ARGV[2])
            local out = {added}
            if ARGV[5] == '1' then
              local ids = {}
              for i = 7, #ARGV, 2 do table.insert(ids, ARGV[i]) end
              for _, p in ipairs(positions(KEYS[1], ARGV[4], ARGV[3], ids)) do table.insert(out, p) end
            end
            return out
            """;

    /** Positions of one user's items (ARGV[3..]) in a lane. KEYS: the ring. ARGV: the prefix of the user sets, the user. */
    private static final String POSITION = POSITIONS + """
            local ids = {}
            for i = 3, #ARGV do table.insert(ids, ARGV[i]) end
            return positions(KEYS[1], ARGV[1], ARGV[2], ids)
            """;

    /** Takes an item out of its user's set; the user leaves the ring when none is left. KEYS: the user's set, the ring, the depth. */
    private static final String REMOVE = """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
              redis.call('DECR', KEYS[3])
              if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[2]) end
            end
            return 1
            """;

    /**
     * Pops up to the wanted number per lane, always the best head across lanes — each lane's head
     * being that of its user whose turn is oldest among those under the per-user cap — while the
     * global cap (live leases only) and the replica's free workers allow; lanes not counted take
     * none of these. An item that already holds a live lease (queued twice after Redis lost track of
     * it) is dropped, not claimed again: its holder's lease stays untouched. A user at the per-user
     * cap keeps their turn: they are served first once one of theirs ends. Answers id, lane index,
     * user, score for each.
     * KEYS[1] is the running set, KEYS[2] the owner of each running item, then per lane its ring,
     * turn counter and depth; ARGV holds now, the lease, the global cap, the free workers and the
     * per-user cap (0: none), then per lane wanted, counted, and the prefix of its user sets.
     */
    private static final String CLAIM = """
            local now = tonumber(ARGV[1])
            local room = math.min(tonumber(ARGV[3]) - redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf'), tonumber(ARGV[4]))
            local perUser = tonumber(ARGV[5])
            local lanes = (#KEYS - 2) / 3
            local want, counted, prefix, out, busy = {}, {}, {}, {}, {}
            for t = 1, lanes do
              local base = 5 + (t - 1) * 3
              want[t] = tonumber(ARGV[base + 1])
              counted[t] = ARGV[base + 2] == '1'
              prefix[t] = ARGV[base + 3]
            end
            local function atCap(user)
              if perUser <= 0 then return false end
              if busy[user] == nil then
                busy[user] = redis.call('ZCOUNT', KEYS[1] .. ':user:' .. user, '(' .. now, '+inf')
              end
              return busy[user] >= perUser
            end
            while true do
              local best, bestScore, bestUser = nil, nil, nil
              for t = 1, lanes do
                if want[t] > 0 and ((not counted[t]) or room > 0) then
                  local ring = KEYS[3 + (t - 1) * 3]
                  local k, user, head = 0, nil, {}
                  while k < 100 do -- users passed over at their cap, at most
                    user = redis.call('ZRANGE', ring, k, k)[1]
                    if not user then break end
                    head = redis.call('ZRANGE', prefix[t] .. user, 0, 0, 'WITHSCORES')
                    if not head[1] then
                      -- a user left in the ring without items (Redis lost some): drop them, look again
                      redis.call('ZREM', ring, user)
                    elseif counted[t] and atCap(user) then
                      k = k + 1
                      head = {}
                    else
                      break
                    end
                  end
                  if head[1] and (bestScore == nil or tonumber(head[2]) < bestScore) then
                    best, bestScore, bestUser = t, tonumber(head[2]), user
                  end
                end
              end
              if best == nil then break end
              local ring, turn, depth = KEYS[3 + (best - 1) * 3], KEYS[4 + (best - 1) * 3], KEYS[5 + (best - 1) * 3]
              local mine = prefix[best] .. bestUser
              local popped = redis.call('ZPOPMIN', mine)
              redis.call('DECR', depth)
              if redis.call('ZCARD', mine) == 0 then
                redis.call('ZREM', ring, bestUser)
              else
                redis.call('ZADD', ring, redis.call('INCR', turn), bestUser)
              end
              local held = redis.call('ZSCORE', KEYS[1], popped[1])
              if not (held and tonumber(held) > now) then
                local expires = now + tonumber(ARGV[2])
                want[best] = want[best] - 1
                redis.call('ZADD', KEYS[1], expires, popped[1])
                if counted[best] then
                  room = room - 1
                  redis.call('HSET', KEYS[2], popped[1], bestUser)
                  redis.call('ZADD', KEYS[1] .. ':user:' .. bestUser, expires, popped[1])
                  if busy[bestUser] then busy[bestUser] = busy[bestUser] + 1 end
                end
                table.insert(out, popped[1])
                table.insert(out, tostring(best))
                table.insert(out, bestUser)
                table.insert(out, popped[2])
              end
            end
            return out
            """;

    /**
     * Drops running entries (ARGV) from the running set and from their owner's. Used by release,
     * unclaim and the taking of expired leases. KEYS: the running set, the owner of each running item.
     */
    private static final String FORGET = """
            local function forget(id)
              redis.call('ZREM', KEYS[1], id)
              local owner = redis.call('HGET', KEYS[2], id)
              if owner then
                redis.call('ZREM', KEYS[1] .. ':user:' .. owner, id)
                redis.call('HDEL', KEYS[2], id)
              end
            end
            """;

    /** Gives back the room of items that ended. KEYS: the running set, the owners. */
    private static final String RELEASE = FORGET + """
            for i = 1, #ARGV do forget(ARGV[i]) end
            return 1
            """;

    /**
     * Puts claimed items back at their place, their users first in the ring, and drops their leases.
     * KEYS: the running set, the owners, the ring, the depth. ARGV: the prefix of the user sets, then
     * user, score, id triples.
     */
    private static final String UNCLAIM = FORGET + """
            for i = 2, #ARGV, 3 do
              forget(ARGV[i + 2])
              redis.call('INCRBY', KEYS[4], redis.call('ZADD', ARGV[1] .. ARGV[i], 'NX', ARGV[i + 1], ARGV[i + 2]))
              local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')[2]
              redis.call('ZADD', KEYS[3], 'NX', first and tonumber(first) - 1 or 0, ARGV[i])
            end
            return 1
            """;

    /**
     * Extends the leases still held, in the running set and their owner's; answers the ids whose
     * entry is gone (taken over: stop running them). KEYS: the running set, the owners.
     */
    private static final String RENEW = """
            local lost = {}
            for i = 2, #ARGV do
              if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
                redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i])
                local owner = redis.call('HGET', KEYS[2], ARGV[i])
                if owner then redis.call('ZADD', KEYS[1] .. ':user:' .. owner, 'XX', ARGV[1], ARGV[i]) end
              else
                table.insert(lost, ARGV[i])
              end
            end
            return lost
            """;

    /** Removes and answers the entries whose lease expired before ARGV[1] (at most ARGV[2]). KEYS: the running set, the owners. */
    private static final String TAKE_EXPIRED = FORGET + """
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
            for _, id in ipairs(expired) do forget(id) end
            return expired
            """;

    /** An item to queue: the lower its priority, the later it goes; within a priority, the oldest first. */
    public record Entry(String id, int priority, Instant queuedAt) {
        String score() {
            return Double.toString((9 - priority) * 1e13 + queuedAt.toEpochMilli());
        }
    }

    /**
     * What a replica can take from a lane in one claim.
     *
     * @param counted whether its items count against the global cap and the free workers (batch
     *                parents, which only wait for their children, do not)
     */
    public record Lane(String name, int wanted, boolean counted) {
    }

    /** An item taken for this replica, with its score (to put it back where it was). */
    public record Claimed(String id, String lane, String ownerId, String score) {
    }

    private final ReactiveRedisDataSource redis;
    private final RedisNames names;
    private final String service;
    private final String running;
    private final String owners;
    private final String wakeChannel;
    private final String wakeEvent;

    /** The queue of one service: its keys are {@code suite:<service>:queue:…} and {@code suite:<service>:running}. */
    public FairQueue(ReactiveRedisDataSource redis, RedisNames names, String service) {
        this.redis = redis;
        this.names = names;
        this.service = service;
        this.running = names.key(service, "running");
        this.owners = names.key(service, "running", "owners");
        this.wakeChannel = names.channel(service, "wake");
        this.wakeEvent = "{\"specversion\":\"1.0\",\"type\":\"" + service + ".queue.wake\",\"source\":\"/" + service
                + "-service\"}";
    }

    /** Where dispatchers hear that work was queued. */
    public String wakeChannel() {
        return wakeChannel;
    }

    /** Queues one user's items in a lane, in one call; answers how many were not queued already. */
    public Uni<Long> enqueue(String lane, String ownerId, List<Entry> entries) {
        return redis.execute("EVAL", enqueueArgs(lane, ownerId, entries, false)).map(reply -> reply.get(0).toLong());
    }

    /** Queues one user's items in a lane and answers the position of each (0: next). */
    public Uni<List<Long>> enqueueAndLocate(String lane, String ownerId, List<Entry> entries) {
        return redis.execute("EVAL", enqueueArgs(lane, ownerId, entries, true)).map(reply -> {
            List<Long> out = new ArrayList<>(entries.size());
            for (int i = 1; i < reply.size(); i++) {
                out.add(reply.get(i).toLong());
            }
            return out;
        });
    }

    private String[] enqueueArgs(String lane, String ownerId, List<Entry> entries, boolean locate) {
        List<String> args = new ArrayList<>(List.of(ENQUEUE, "3", ring(lane), turn(lane), depthKey(lane),
                wakeChannel, wakeEvent, ownerId, userSets(lane), locate ? "1" : "0"));
        for (Entry entry : entries) {
            args.add(entry.score());
            args.add(entry.id());
        }
        return args.toArray(String[]::new);
    }

    /** The position of a queued item (0: next), or null when it is not queued. */
    public Uni<Long> position(String lane, String ownerId, String id) {
        return redis.execute("EVAL", POSITION, "1", ring(lane), userSets(lane), ownerId, id).map(reply -> {
            long position = reply.get(0).toLong();
            return position < 0 ? null : position;
        });
    }

    /**
     * Moves a queued item to where its new priority puts it, keeping its age; answers false when it
     * is not queued (taken meanwhile, or not queued yet).
     */
    public Uni<Boolean> reprioritize(String lane, String ownerId, Entry entry) {
        return redis.execute("ZADD", userSets(lane) + ownerId, "XX", "CH", entry.score(), entry.id())
                .map(reply -> reply.toLong() > 0);
    }

    /** Takes an item out of the queue (cancelled, paused or interrupted before it started). */
    public Uni<Void> remove(String lane, String ownerId, String id) {
        return redis.execute("EVAL", REMOVE, "3", userSets(lane) + ownerId, ring(lane), depthKey(lane), id, ownerId)
                .replaceWithVoid();
    }

    /**
     * Takes, across lanes, what this replica can start now.
     *
     * @param globalCap   the most counted items running across all replicas
     * @param perUserCap  the most counted items of one user running across all replicas (0: no limit)
     * @param freeWorkers how many counted items, of all lanes together, this replica can start now
     */
    public Uni<List<Claimed>> claim(List<Lane> lanes, int globalCap, int perUserCap, int freeWorkers, Duration lease) {
        List<String> args = new ArrayList<>();
        args.add(CLAIM);
        args.add(Integer.toString(lanes.size() * 3 + 2));
        args.add(running);
        args.add(owners);
        for (Lane lane : lanes) {
            args.add(ring(lane.name()));
            args.add(turn(lane.name()));
            args.add(depthKey(lane.name()));
        }
        args.add(Long.toString(System.currentTimeMillis()));
        args.add(Long.toString(lease.toMillis()));
        args.add(Integer.toString(globalCap));
        args.add(Integer.toString(freeWorkers));
        args.add(Integer.toString(perUserCap));
        for (Lane lane : lanes) {
            args.add(Integer.toString(lane.wanted()));
            args.add(lane.counted() ? "1" : "0");
            args.add(userSets(lane.name()));
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).map(reply -> {
            List<Claimed> out = new ArrayList<>();
            for (int i = 0; reply != null && i + 3 < reply.size(); i += 4) {
                out.add(new Claimed(reply.get(i).toString(), lanes.get(reply.get(i + 1).toInteger() - 1).name(),
                        reply.get(i + 2).toString(), reply.get(i + 3).toString()));
            }
            return out;
        });
    }

    /** Undoes a claim that could not be recorded in MySQL: the items wait again, their users first in line. */
    public Uni<Void> unclaim(List<Claimed> claimed) {
        Map<String, List<String>> byLane = new LinkedHashMap<>();
        for (Claimed c : claimed) {
            List<String> args = byLane.computeIfAbsent(c.lane(), lane -> new ArrayList<>(List.of(UNCLAIM, "4", running,
                    owners, ring(lane), depthKey(lane), userSets(lane))));
            args.add(c.ownerId());
            args.add(c.score());
            args.add(c.id());
        }
        return Uni.join().all(byLane.values().stream()
                        .map(args -> redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid()).toList())
                .andCollectFailures().replaceWithVoid();
    }

    /** Extends the leases of these running items; answers those whose lease is gone (another replica may have them now). */
    public Uni<List<String>> renew(List<String> ids, Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> args = new ArrayList<>(List.of(RENEW, "2", running, owners,
                Long.toString(System.currentTimeMillis() + lease.toMillis())));
        args.addAll(ids);
        return redis.execute("EVAL", args.toArray(String[]::new)).map(FairQueue::strings);
    }

    /** Gives back the room of items that ended, in one call. */
    public Uni<Void> release(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(List.of(RELEASE, "2", running, owners));
        args.addAll(ids);
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** Removes and answers up to {@code max} running entries whose lease lapsed (their replica died or hung). */
    public Uni<List<String>> takeExpired(int max) {
        return redis.execute("EVAL", TAKE_EXPIRED, "2", running, owners, Long.toString(System.currentTimeMillis()),
                Integer.toString(max)).map(FairQueue::strings);
    }

    /** Of these ids, those holding an entry in the running set. */
    public Uni<List<String>> held(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> args = new ArrayList<>();
        args.add(running);
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

    /** Items queued in a lane, across users. */
    public Uni<Long> depth(String lane) {
        return redis.execute("GET", depthKey(lane)).map(reply -> reply == null ? 0L : Math.max(0L, reply.toLong()));
    }

    /** Items holding a live lease, across replicas. */
    public Uni<Long> running() {
        return redis.execute("ZCOUNT", running, "(" + System.currentTimeMillis(), "+inf").map(Response::toLong);
    }

    /** The prefix of a lane's user sets: a user's set is this followed by the user's id. */
    private String userSets(String lane) {
        return names.key(service, "queue", lane, "user", "");
    }

    /** The users with queued items in a lane, by the turn each was last served. */
    private String ring(String lane) {
        return names.key(service, "queue", lane, "ring");
    }

    private String turn(String lane) {
        return names.key(service, "queue", lane, "turn");
    }

    private String depthKey(String lane) {
        return names.key(service, "queue", lane, "depth");
    }

    private static List<String> strings(Response reply) {
        List<String> out = new ArrayList<>();
        if (reply != null) {
            reply.forEach(item -> out.add(item.toString()));
        }
        return out;
    }
}
