package dev.suite.task.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.db.Times;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.timer.Cron;
import dev.suite.commons.timer.DueLoop;
import dev.suite.commons.timer.DueSet;
import dev.suite.task.TaskSettings;
import dev.suite.task.tasks.TaskService;
import dev.suite.task.tasks.TaskStore;
import dev.suite.task.tasks.dto.TaskRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Fires schedules at their ticks, on whichever replica takes them from the shared {@link DueSet}.
 * A batch of due schedules is handled in one transaction: their rows are locked, each due one gets
 * its task (inserted with the tick) and its next tick, all committed together — so a tick makes one
 * task even if two replicas, or a replica and its own restart, see it. A tick handled later than
 * {@code suite.task.schedule-grace} follows the schedule's missed policy; ticks that pass while one
 * is late are not run again.
 */
@ApplicationScoped
public class ScheduleTicker {

    private static final int BATCH = 500;
    /** The longest the loop sleeps: schedules another replica created are seen within this. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(1);

    private final ScheduleStore store;
    private final TaskStore tasks;
    private final TaskService taskService;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final TaskSettings settings;
    private final Vertx vertx;
    private final DueLoop loop;
    private final Timer lateness;
    /** Parsed expressions by text and zone; cleared when it grows past what live schedules need. */
    private final Map<String, Cron> crons = new ConcurrentHashMap<>();

    public ScheduleTicker(ScheduleStore store, TaskStore tasks, TaskService taskService, Pool pool, ObjectMapper mapper,
            TaskSettings settings, Vertx vertx, ReactiveRedisDataSource redis, RedisNames names, MeterRegistry registry) {
        this.store = store;
        this.tasks = tasks;
        this.taskService = taskService;
        this.pool = pool;
        this.mapper = mapper;
        this.settings = settings;
        this.vertx = vertx;
        DueSet due = new DueSet(redis, names.key("task", "schedules", "due"));
        this.loop = new DueLoop("schedules", due, this::fire, BATCH, settings.scheduleLease(), MAX_IDLE);
        this.lateness = Timer.builder("task.schedule.lateness")
                .description("From a schedule's tick to its task committed and queued")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void start(@Observes StartupEvent event) {
        loop.start(vertx);
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Puts a schedule's next tick in Redis and wakes this replica's loop for it (null: it fires no more). */
    public Uni<Void> arm(String id, Instant next) {
        return loop.put(id, next);
    }

    /**
     * Puts back the schedules due soon that Redis lacks (it restarted, or was away when they were
     * written); those Redis holds keep their time. Every replica does so; it is idempotent.
     */
    @Scheduled(every = "${suite.task.reconcile-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> restore() {
        return loop.restore(store.dueBefore(Times.now().plus(settings.reconcileInterval().multipliedBy(2)), 10_000));
    }

    /** What a due schedule comes to at this tick. */
    private record Decision(ScheduleStore.Stored schedule, Instant tick, Instant next, boolean run, String why) {
    }

    /** Handles claimed schedules: answers each one's next tick (null: removed from Redis). */
    Uni<Map<String, Instant>> fire(List<DueSet.Due> claimed, Instant now) {
        List<String> ids = claimed.stream().map(DueSet.Due::id).toList();
        Map<String, Instant> next = new LinkedHashMap<>();
        ids.forEach(id -> next.put(id, null));
        List<TaskStore.NewTask> made = new ArrayList<>();
        return pool.withTransaction(db -> store.lock(db, ids).chain(rows -> {
            List<Decision> decisions = new ArrayList<>();
            for (ScheduleStore.Stored row : rows) {
                Instant tick = row.schedule().nextRunAt();
                if (!row.schedule().enabled() || tick == null) {
                    continue;
                }
                if (tick.isAfter(now)) {
                    next.put(row.schedule().scheduleId(), tick); // moved later by an edit: not due yet
                    continue;
                }
                decisions.add(decide(row, tick, now));
            }
            return withRoom(decisions).chain(decided -> {
                List<ScheduleStore.Advance> advances = new ArrayList<>();
                Map<String, TaskStore.NewTask> taskOf = new HashMap<>();
                for (Decision d : decided) {
                    if (d.run()) {
                        TaskStore.NewTask task = taskService.fromSchedule(d.schedule().ownerId(), template(d.schedule()),
                                new TaskService.Tick(d.schedule().schedule().scheduleId(), d.tick()), now);
                        taskOf.put(d.schedule().schedule().scheduleId(), task);
                    }
                }
                return tasks.insertAll(db, List.copyOf(taskOf.values())).chain(held -> {
                    for (Decision d : decided) {
                        String id = d.schedule().schedule().scheduleId();
                        TaskStore.NewTask task = taskOf.get(id);
                        String holder = task == null ? null : held.get(task.task().taskId());
                        if (task != null && holder == null) {
                            made.add(task);
                            advances.add(new ScheduleStore.Advance(id, d.next(), now, task.task().taskId(), null));
                        } else {
                            String why = holder != null ? "tick of " + d.tick() + " skipped: task " + holder
                                    + " still holds unique_key " + task.task().uniqueKey() : d.why();
                            advances.add(new ScheduleStore.Advance(id, d.next(), null, null, why));
                        }
                        next.put(id, d.next());
                    }
                    return store.advance(db, advances, now);
                });
            });
        })).chain(() -> taskService.announce(made)).invoke(() -> {
            Instant queued = Instant.now();
            made.forEach(task -> lateness.record(Duration.between(task.task().scheduledFor(), queued)));
        }).replaceWith(next);
    }

    private Decision decide(ScheduleStore.Stored row, Instant tick, Instant now) {
        Cron cron = cron(row);
        // The tick after now, not after this one: ticks that passed while this one was late collapse into it.
        Instant next = cron.next(now);
        Duration late = Duration.between(tick, now);
        if (late.compareTo(settings.scheduleGrace()) <= 0 || "catch_up_once".equals(row.schedule().missed())) {
            return new Decision(row, tick, next, true, null);
        }
        return new Decision(row, tick, next, false, "tick of " + tick + " missed by " + late.toSeconds() + " s: skipped");
    }

    /** Drops the runs of owners whose quota of unfinished tasks is full, saying why. */
    private Uni<List<Decision>> withRoom(List<Decision> decisions) {
        Map<String, Long> runsByOwner = decisions.stream().filter(Decision::run)
                .collect(Collectors.groupingBy(d -> d.schedule().ownerId(), LinkedHashMap::new, Collectors.counting()));
        return Multi.createFrom().iterable(runsByOwner.entrySet())
                .onItem().transformToUniAndConcatenate(e -> taskService.hasRoom(e.getKey(), e.getValue().intValue())
                        .map(room -> room ? null : e.getKey()))
                .filter(owner -> owner != null).collect().asSet()
                .map((Set<String> full) -> decisions.stream().map(d -> d.run() && full.contains(d.schedule().ownerId())
                        ? new Decision(d.schedule(), d.tick(), d.next(), false, "tick of " + d.tick()
                                + " skipped: the quota of unfinished tasks is full (suite.task.max-active-per-user)")
                        : d).toList());
    }

    private Cron cron(ScheduleStore.Stored row) {
        String key = row.schedule().cron() + "\n" + row.schedule().timeZone();
        if (crons.size() > 10_000) {
            crons.clear();
        }
        return crons.computeIfAbsent(key, k -> Cron.parse(row.schedule().cron(), row.schedule().timeZone()));
    }

    private TaskRequest template(ScheduleStore.Stored row) {
        try {
            return mapper.treeToValue(row.schedule().task(), TaskRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored template of schedule " + row.schedule().scheduleId() + " is unreadable", e);
        }
    }
}
