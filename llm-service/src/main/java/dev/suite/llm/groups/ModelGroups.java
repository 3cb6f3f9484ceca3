package dev.suite.llm.groups;

import dev.suite.commons.redis.RedisNames;
import dev.suite.llm.groups.dto.GroupMember;
import dev.suite.llm.groups.dto.ModelGroupResponse;
import dev.suite.llm.limits.Limits;
import dev.suite.llm.limits.Scope;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Model groups at call time: the order in which a call tries a group's members, and their
 * cooldowns. A member that failed (connect error, 429, 5xx, timeout) is passed over for the group's
 * cooldown, on every replica (a Redis key with that expiry); when every member is cooling down they
 * are all tried anyway, rather than failing a call that one of them might answer. A group is read
 * from MySQL at most every {@link #FRESH} per replica, so an edit reaches every replica within that;
 * a name that is no group is looked up each time (it ends in a 404).
 */
@ApplicationScoped
public class ModelGroups {

    private static final Logger LOG = Logger.getLogger(ModelGroups.class);
    static final long FRESH = Duration.ofSeconds(2).toNanos();

    /** The members of one call in the order to try them, how long one that fails cools down, and the group's limits. */
    public record Choice(List<String> configIds, Duration cooldown, Scope scope) {
    }

    private record Cached(ModelGroupResponse group, long readNanos) {
    }

    private final ModelGroupStore store;
    private final ReactiveRedisDataSource redis;
    private final RedisNames names;
    private final Map<String, Cached> byName = new ConcurrentHashMap<>();

    public ModelGroups(ModelGroupStore store, ReactiveRedisDataSource redis, RedisNames names) {
        this.store = store;
        this.redis = redis;
        this.names = names;
    }

    /** The members of the caller's group of that name, in the order this call tries them; empty when there is none. */
    public Uni<Optional<Choice>> choose(String ownerId, String name) {
        return group(ownerId, name).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<Choice>empty());
            }
            ModelGroupResponse group = found.get();
            Scope scope = Scope.group(group.groupId(), group.name(), group.limits() == null ? Limits.NONE : group.limits());
            return cooling(group.members()).map(cooling -> Optional.of(new Choice(order(group, cooling),
                    Duration.ofSeconds(group.cooldownSeconds()), scope)));
        });
    }

    /** Passes over a member that failed, on every replica, for the group's cooldown. */
    public void coolDown(String configId, Duration cooldown) {
        if (cooldown.isZero()) {
            return;
        }
        redis.execute("SET", key(configId), "1", "PX", Long.toString(cooldown.toMillis()))
                .subscribe().with(ok -> LOG.infof("Config %s cools down for %d s", configId, cooldown.toSeconds()),
                        e -> LOG.warnf("Cooldown of config %s not recorded: %s", configId, e.getMessage()));
    }

    /** Drops what this replica remembers of a user's groups (after they changed here). */
    void forget(String ownerId) {
        byName.keySet().removeIf(key -> key.startsWith(ownerId + "\n"));
    }

    static List<String> order(ModelGroupResponse group, Set<String> cooling) {
        List<GroupMember> healthy = new ArrayList<>(group.members().stream().filter(m -> !cooling.contains(m.configId())).toList());
        List<GroupMember> candidates = healthy.isEmpty() ? new ArrayList<>(group.members()) : healthy;
        List<GroupMember> ordered = new ArrayList<>();
        if ("priority".equals(group.strategy())) {
            candidates.sort(Comparator.comparingInt(GroupMember::priorityOrDefault));
            ordered.addAll(candidates);
        } else {
            // The first by weighted chance; the rest, should it fail, by weight.
            int total = candidates.stream().mapToInt(GroupMember::weightOrDefault).sum();
            int pick = ThreadLocalRandom.current().nextInt(total);
            for (GroupMember member : candidates) {
                pick -= member.weightOrDefault();
                if (pick < 0) {
                    ordered.add(member);
                    break;
                }
            }
            candidates.remove(ordered.get(0));
            candidates.sort(Comparator.comparingInt(GroupMember::weightOrDefault).reversed());
            ordered.addAll(candidates);
        }
        return ordered.stream().map(GroupMember::configId).toList();
    }

    private Uni<Optional<ModelGroupResponse>> group(String ownerId, String name) {
        String key = ownerId + "\n" + name;
        Cached cached = byName.get(key);
        if (cached != null && System.nanoTime() - cached.readNanos() < FRESH) {
            return Uni.createFrom().item(Optional.of(cached.group()));
        }
        // Only groups that exist are remembered: names a caller merely tries must not grow the map.
        return store.findByName(ownerId, name).invoke(found -> {
            if (found.isPresent()) {
                byName.put(key, new Cached(found.get(), System.nanoTime()));
            } else {
                byName.remove(key);
            }
        });
    }

    /** The members cooling down now; none when Redis cannot tell (every member is then tried in turn). */
    private Uni<Set<String>> cooling(List<GroupMember> members) {
        String[] keys = members.stream().map(m -> key(m.configId())).toArray(String[]::new);
        return redis.execute("MGET", keys).map(reply -> {
            Set<String> out = new HashSet<>();
            for (int i = 0; i < members.size(); i++) {
                if (reply.get(i) != null) {
                    out.add(members.get(i).configId());
                }
            }
            return out;
        }).onFailure().recoverWithItem(Set.of());
    }

    private String key(String configId) {
        return names.key("llm", "cooldown", configId);
    }
}
