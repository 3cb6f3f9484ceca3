package dev.suite.llm.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.calls.Background;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import dev.suite.llm.LlmSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accounts every chat call without slowing it: the call only enqueues a record and bumps
 * Micrometer meters; a timer writes the queue to MySQL in batches and publishes one
 * {@code llm.usage.recorded} event per batch on {@code suite:llm:usage}.
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String INSERT = "INSERT INTO llm_usage (usage_id, owner_id, config_id, group_id, provider, "
            + "model, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_nanos, latency_ms, ttft_ms, "
            + "status, stream, created_at) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final ConcurrentLinkedQueue<UsageRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final Pool pool;
    private final Vertx vertx;
    private final EventPublisher events;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final LlmSettings.Usage settings;
    private final String channel;
    private final Counter dropped;
    private long timerId = -1;

    public UsageRecorder(Pool pool, Vertx vertx, EventPublisher events, ObjectMapper mapper,
            MeterRegistry registry, LlmSettings settings, RedisNames names) {
        this.pool = pool;
        this.vertx = vertx;
        this.events = events;
        this.mapper = mapper;
        this.registry = registry;
        this.settings = settings.usage();
        this.channel = names.channel("llm", "usage");
        this.dropped = Counter.builder("llm.usage.dropped")
                .description("Usage records dropped because the database was away too long").register(registry);
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(settings.flushInterval().toMillis(), id -> Background.run(flush(), LOG, "Writing usage rows"));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        // Shutdown observers run on the main thread, not an event loop: waiting here is safe, and it
        // keeps the last queued records from being lost on a graceful stop.
        flush().await().atMost(Duration.ofSeconds(5));
    }

    public void record(UsageRecord record) {
        String status = Integer.toString(record.status());
        registry.counter("llm.chat.requests", "provider", record.provider(), "status", status).increment();
        registry.counter("llm.chat.tokens", "provider", record.provider(), "kind", "prompt")
                .increment(record.promptTokens());
        registry.counter("llm.chat.tokens", "provider", record.provider(), "kind", "completion")
                .increment(record.completionTokens());
        if (record.costNanos() != null && record.costNanos() > 0) {
            registry.counter("llm.chat.cost.usd", "provider", record.provider()).increment(record.costNanos() / 1e9);
        }
        Timer.builder("llm.chat.latency").tag("provider", record.provider()).publishPercentileHistogram()
                .register(registry).record(Duration.ofMillis(record.latencyMs()));
        if (record.stream()) {
            Timer.builder("llm.chat.ttft").tag("provider", record.provider()).publishPercentileHistogram()
                    .register(registry).record(Duration.ofMillis(record.ttftMs()));
        }
        if (queued.incrementAndGet() > settings.maxQueued()) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(record);
        if (queued.get() >= settings.batchSize()) {
            Background.run(flush(), LOG, "Writing usage rows");
        }
    }

    /** Writes what is queued, a batch at a time; one flush runs at once. Exposed for tests and shutdown. */
    public Uni<Void> flush() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        List<UsageRecord> batch = new ArrayList<>();
        for (UsageRecord r = queue.poll(); r != null && batch.size() < settings.batchSize(); r = queue.poll()) {
            batch.add(r);
        }
        queued.addAndGet(-batch.size());
        // One multi-row INSERT: far cheaper for MySQL than a statement per row.
        List<Object> values = new ArrayList<>(batch.size() * 16);
        batch.forEach(r -> values.addAll(row(r)));
        String sql = INSERT + String.join(", ", java.util.Collections.nCopies(batch.size(), ROW));
        return pool.preparedQuery(sql).execute(Tuple.from(values))
                .replaceWithVoid()
                .call(() -> events.publish(channel, CloudEvent.of("/llm-service", "llm.usage.recorded", null,
                        mapper.valueToTree(Map.of("records", batch)))))
                .onFailure().invoke(e -> {
                    LOG.warnf("Could not write %d usage records (%s); keeping them for the next flush",
                            batch.size(), e.getMessage());
                    queue.addAll(batch);
                    queued.addAndGet(batch.size());
                })
                .onFailure().recoverWithNull()
                .eventually(() -> flushing.set(false))
                .chain(() -> queue.size() >= settings.batchSize() ? flush() : Uni.createFrom().voidItem());
    }

    private static List<Object> row(UsageRecord r) {
        // Arrays.asList, not List.of: group_id and cost_nanos may be null.
        return Arrays.asList(r.usageId(), r.ownerId(), r.configId(), r.groupId(), r.provider(), r.model(),
                r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.reasoningTokens(), r.costNanos(),
                r.latencyMs(), r.ttftMs(), r.status(), r.stream(), LocalDateTime.ofInstant(r.createdAt(), ZoneOffset.UTC));
    }
}
