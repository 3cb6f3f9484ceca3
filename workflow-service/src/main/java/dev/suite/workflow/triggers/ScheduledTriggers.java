package dev.suite.workflow.triggers;

import dev.suite.commons.db.Times;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.timer.Cron;
import dev.suite.commons.timer.DueLoop;
import dev.suite.commons.timer.DueSet;
import dev.suite.workflow.WorkflowSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fires schedule triggers at their ticks, on whichever replica takes them from the shared
 * {@link DueSet}. A tick fires with the tick as its key, then moves the trigger to its next tick
 * only if it still waits at this one: two replicas, or a replica and its restart, that fire the same
 * tick start one execution and move the trigger once. A tick fired later than
 * {@code suite.workflow.schedule-grace} follows the trigger's missed policy; ticks that pass while
 * one is late are not fired again.
 */
@ApplicationScoped
public class ScheduledTriggers {

    private static final Logger LOG = Logger.getLogger(ScheduledTriggers.class);
    private static final int BATCH = 200;
    /** The longest the loop sleeps: schedules another replica saved are seen within this. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(1);

    private final TriggerStore store;
    private final TriggerFiring firing;
    private final WorkflowSettings settings;
    private final Vertx vertx;
    private final DueLoop loop;
    private final Timer lateness;

    public ScheduledTriggers(TriggerStore store, TriggerFiring firing, WorkflowSettings settings, Vertx vertx,
            ReactiveRedisDataSource redis, RedisNames names, MeterRegistry registry) {
        this.store = store;
        this.firing = firing;
        this.settings = settings;
        this.vertx = vertx;
        DueSet due = new DueSet(redis, names.key("workflow", "schedules", "due"));
        this.loop = new DueLoop("workflow schedules", due, this::fire, BATCH, settings.scheduleLease(), MAX_IDLE);
        this.lateness = Timer.builder("workflow.schedule.lateness")
                .description("From a schedule's tick to its execution stored and queued")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void start(@Observes StartupEvent event) {
        loop.start(vertx);
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Puts a trigger's next tick in Redis and wakes this replica's loop for it (null: it fires no more). */
    public Uni<Void> arm(String id, Instant next) {
        return loop.put(id, next);
    }

    /** Puts back the ticks due soon that Redis lacks (it restarted, or was away when they were saved). */
    @Scheduled(every = "${suite.workflow.reconcile-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> restore() {
        return loop.restore(store.dueBefore(Times.now().plus(settings.reconcileInterval().multipliedBy(2)), 10_000));
    }

    /** Fires claimed triggers; answers each one's next tick (null: removed from Redis). */
    Uni<Map<String, Instant>> fire(List<DueSet.Due> claimed, Instant now) {
        Map<String, Instant> next = new LinkedHashMap<>();
        claimed.forEach(d -> next.put(d.id(), null));
        return store.byIds(claimed.stream().map(DueSet.Due::id).toList()).chain(triggers -> {
            List<Uni<Void>> firings = new ArrayList<>();
            for (Trigger trigger : triggers) {
                Instant tick = trigger.nextRunAt();
                if (!Trigger.SCHEDULE.equals(trigger.kind()) || !trigger.enabled() || tick == null) {
                    continue;
                }
                if (tick.isAfter(now)) {
                    next.put(trigger.triggerId(), tick); // moved later by an edit: not due yet
                    continue;
                }
                // The tick after now, not after this one: ticks that passed while this one was late collapse into it.
                Instant following = Cron.parse(trigger.cron(), trigger.timeZone()).next(now);
                next.put(trigger.triggerId(), following);
                firings.add(fireTick(trigger, tick, following, now).invoke(handled -> {
                    if (!handled) {
                        // Left under its lease: fired again (the same key, so once) when the lease lapses.
                        next.remove(trigger.triggerId());
                    }
                }).replaceWithVoid());
            }
            return firings.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(firings).andCollectFailures().replaceWithVoid();
        }).replaceWith(next);
    }

    /** Fires or skips one tick; answers false when it must be tried again (the database or Redis failed). */
    private Uni<Boolean> fireTick(Trigger trigger, Instant tick, Instant following, Instant now) {
        Duration late = Duration.between(tick, now);
        if (late.compareTo(settings.scheduleGrace()) > 0 && "skip".equals(trigger.missed())) {
            return store.advance(trigger.triggerId(), tick, following).chain(moved -> moved
                    ? store.fired(trigger.triggerId(), now, null, "tick of " + tick + " missed by " + late.toSeconds() + " s: skipped")
                    : Uni.createFrom().voidItem()).replaceWith(true);
        }
        // A tick starts a trace of its own: nothing traced asked for it.
        return firing.fire(trigger, tick.toString(), null, null)
                .invoke(fired -> {
                    if (!fired.earlier()) {
                        lateness.record(Duration.between(tick, Instant.now()));
                    }
                })
                .replaceWith(true)
                // Refused (the workflow is gone, its inputs no longer fit, a quota): recorded on the trigger, and
                // the schedule goes on; a failure of the suite itself leaves the tick to be fired again.
                .onFailure(ScheduledTriggers::refused).recoverWithItem(true)
                .chain(handled -> store.advance(trigger.triggerId(), tick, following).replaceWith(handled))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Tick %s of trigger %s left for a retry: %s", tick, trigger.triggerId(), e.getMessage());
                    return false;
                });
    }

    private static boolean refused(Throwable e) {
        return e instanceof ProblemException problem && problem.type().status() < 500;
    }
}
