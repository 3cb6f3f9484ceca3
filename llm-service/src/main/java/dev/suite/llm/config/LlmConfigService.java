package dev.suite.llm.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.crypto.SecretUnreadableException;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.net.OutboundClients;
import dev.suite.commons.net.UrlGuard;
import dev.suite.commons.paging.Page;
import dev.suite.commons.patch.EntityTags;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.redis.RateLimiter;
import dev.suite.commons.redis.RateLimiter.WhenRedisIsAway;
import dev.suite.commons.redis.RedisNames;
import dev.suite.llm.LlmSettings;
import dev.suite.llm.config.dto.ApiKeyResponse;
import dev.suite.llm.config.dto.LlmConfigRequest;
import dev.suite.llm.config.dto.LlmConfigResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules of LLM configs: validation beyond field constraints, ownership, unique names, key
 * sealing, the audited key reveal, and events after each committed change.
 *
 * <p>{@code @Startup} so a missing master key stops the service at start-up, not at the first write.
 */
@Startup
@ApplicationScoped
public class LlmConfigService {

    private static final Logger LOG = Logger.getLogger(LlmConfigService.class);
    private static final int HINT_MIN_KEY_LENGTH = 12;
    private static final Set<String> WRITE_ONLY = Set.of("api_key");

    private final LlmConfigRepository configs;
    private final LlmConfigQueries queries;
    private final KeyRevealRepository reveals;
    private final LlmConfigMapper mapper;
    private final LlmConfigEvents events;
    private final LlmConfigCache cache;
    private final SecretBox secrets;
    private final RateLimiter rateLimiter;
    private final RedisNames names;
    private final LlmSettings settings;
    private final ObjectMapper json;
    private final Validator validator;
    private final Counter revealCounter;
    private final UrlGuard guard;

    public LlmConfigService(Validator validator, LlmConfigRepository configs, LlmConfigQueries queries,
            KeyRevealRepository reveals, LlmConfigMapper mapper,
            LlmConfigEvents events, LlmConfigCache cache, SecretBox secrets, RateLimiter rateLimiter,
            RedisNames names, LlmSettings settings, ObjectMapper json, MeterRegistry registry, OutboundClients outbound) {
        this.guard = outbound.guard();
        this.validator = validator;
        this.configs = configs;
        this.queries = queries;
        this.reveals = reveals;
        this.mapper = mapper;
        this.events = events;
        this.cache = cache;
        this.secrets = secrets;
        this.rateLimiter = rateLimiter;
        this.names = names;
        this.settings = settings;
        this.json = json;
        this.revealCounter = Counter.builder("llm.config.key.reveals")
                .description("Api keys revealed to their owners through GET /api/llm/configs/{id}/key")
                .register(registry);
    }

    public Uni<Page<LlmConfigResponse>> list(String ownerId, String provider, String enabled, PageRequest page) {
        List<FieldError> errors = new ArrayList<>();
        if (provider != null && Provider.fromWire(provider).isEmpty()) {
            errors.add(new FieldError("provider", "must be one of " + Provider.WIRE_NAMES));
        }
        Boolean enabledFilter = null;
        if (enabled != null) {
            switch (enabled) {
                case "true" -> enabledFilter = true;
                case "false" -> enabledFilter = false;
                default -> errors.add(new FieldError("enabled", "must be true or false"));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        return queries.page(ownerId, provider, enabledFilter, page)
                .map(rows -> Page.of(rows, page, LlmConfigResponse::configId, view -> view));
    }

    public Uni<LlmConfigResponse> get(String ownerId, String configId) {
        return Panache.withSession(() -> owned(ownerId, configId)).map(mapper::toResponse);
    }

    public Uni<LlmConfigResponse> create(String ownerId, LlmConfigRequest request) {
        Checked checked = check(request);
        // The transaction commits when the inner Uni completes; events go out only after that.
        return Panache.withTransaction(() -> requireFreeName(ownerId, request.name, null)
                        .chain(() -> {
                            Instant now = now();
                            LlmConfig config = new LlmConfig();
                            config.id = Ids.newId();
                            config.ownerId = ownerId;
                            config.createdAt = now;
                            apply(config, request, checked, now);
                            return configs.persist(config);
                        }))
                .onFailure(MySqlErrors::isDuplicateKey).transform(e -> nameConflict(request.name))
                .map(mapper::toResponse)
                .call(created -> events.publish(LlmConfigEvents.CREATED, ownerId, created));
    }

    /** A full update (PUT); {@code ifMatch}, when given, must name the config as it is now. */
    public Uni<LlmConfigResponse> update(String ownerId, String configId, LlmConfigRequest request, String ifMatch) {
        return change(ownerId, configId, ifMatch, current -> request);
    }

    /** A JSON Merge Patch of the config as GET shows it; {@code api_key} keeps its three states. */
    public Uni<LlmConfigResponse> patch(String ownerId, String configId, JsonNode patch, String ifMatch) {
        return change(ownerId, configId, ifMatch, current -> MergePatch.read(json,
                MergePatch.apply(json.valueToTree(current), patch, WRITE_ONLY), LlmConfigRequest.class));
    }

    /**
     * Reads the config under a row lock, checks {@code If-Match} against it, and writes the request
     * the edit makes of it — so no other write slips in between the check and the write.
     */
    private Uni<LlmConfigResponse> change(String ownerId, String configId, String ifMatch,
            Function<LlmConfigResponse, LlmConfigRequest> edit) {
        return Panache.withTransaction(() -> owned(ownerId, configId, LockModeType.PESSIMISTIC_WRITE)
                        .chain(config -> {
                            LlmConfigResponse current = mapper.toResponse(config);
                            EntityTags.requireMatch(ifMatch, EntityTags.of(json, current));
                            LlmConfigRequest request = edit.apply(current);
                            Checked checked = check(request);
                            return requireFreeName(ownerId, request.name, configId)
                                    .invoke(() -> apply(config, request, checked, now()))
                                    .call(configs::flush)
                                    .onFailure(MySqlErrors::isDuplicateKey).transform(e -> nameConflict(request.name))
                                    .replaceWith(config);
                        }))
                .map(mapper::toResponse)
                .invoke(() -> cache.evict(configId))
                .call(updated -> events.publish(LlmConfigEvents.UPDATED, ownerId, updated));
    }

    public Uni<Void> delete(String ownerId, String configId) {
        return Panache.withTransaction(() -> owned(ownerId, configId)
                        .call(configs::delete)
                        .map(mapper::toResponse))
                .invoke(() -> cache.evict(configId))
                .call(deleted -> events.publish(LlmConfigEvents.DELETED, ownerId, deleted))
                .replaceWithVoid();
    }

    /** Reveals the key to its owner: rate-limited per user, recorded in the audit table, counted. */
    public Uni<ApiKeyResponse> revealKey(String ownerId, String configId, String requestId) {
        return rateLimiter.hit(names.key("llm", "key-reveals", ownerId), settings.keyRevealsPerWindow(),
                        settings.keyRevealWindow(), "api key reveals", WhenRedisIsAway.REFUSE)
                .chain(() -> Panache.withTransaction(() -> owned(ownerId, configId)
                        .call(config -> {
                            KeyReveal reveal = new KeyReveal();
                            reveal.id = Ids.newId();
                            reveal.configId = config.id;
                            reveal.ownerId = ownerId;
                            reveal.requestId = requestId;
                            reveal.revealedAt = now();
                            return reveals.persist(reveal);
                        })))
                .map(config -> new ApiKeyResponse(open(config)))
                .invoke(() -> {
                    revealCounter.increment();
                    LOG.infof("Api key of config %s revealed to its owner", configId);
                });
    }

    private Uni<LlmConfig> owned(String ownerId, String configId) {
        return owned(ownerId, configId, LockModeType.NONE);
    }

    private Uni<LlmConfig> owned(String ownerId, String configId, LockModeType lock) {
        if (!Ids.isId(configId)) {
            return Uni.createFrom().failure(ProblemException.notFound("LLM config"));
        }
        return configs.findOwned(ownerId, configId, lock)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("LLM config"));
    }

    private Uni<Void> requireFreeName(String ownerId, String name, String exceptId) {
        return configs.nameTaken(ownerId, name, exceptId)
                .invoke(taken -> {
                    if (taken) {
                        throw nameConflict(name);
                    }
                })
                .replaceWithVoid();
    }

    private String open(LlmConfig config) {
        if (config.apiKeySealed == null) {
            return null;
        }
        try {
            return secrets.open(config.apiKeySealed, keyContext(config.id));
        } catch (SecretUnreadableException e) {
            LOG.errorf("Stored api key of config %s cannot be opened: %s", config.id, e.getMessage());
            throw new ProblemException(ProblemType.INTERNAL, "The stored api key cannot be decrypted with the "
                    + "configured master keys; an operator must restore the key it was sealed with.", null, null, null);
        }
    }

    /** What {@link #check} derived from a request: the effective URL and the metadata as JSON text. */
    private record Checked(Provider provider, String apiUrl, String metadataJson) {
    }

    /**
     * Field constraints plus the rules they cannot express, checked together so that one 400 lists
     * every problem of the request.
     */
    private Checked check(LlmConfigRequest request) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        Optional<Provider> known = Provider.fromWire(request.provider);
        Provider provider = known.orElse(Provider.ECHO);
        String url = blankToNull(request.apiUrl);
        if (url == null) {
            if (known.isPresent() && provider.requiresUrl()) {
                errors.add(new FieldError("api_url", "is required for provider " + provider.wireName()));
            }
            url = provider.defaultUrl().orElse(null);
        } else {
            // A literal address in a refused range is refused now; a name, when it is reached.
            guard.syntaxProblem(url).filter(p -> errors.stream().noneMatch(e -> e.field().equals("api_url")))
                    .ifPresent(problem -> errors.add(new FieldError("api_url", problem)));
        }
        String metadataJson = null;
        if (request.metadata != null) {
            try {
                metadataJson = json.writeValueAsString(request.metadata);
            } catch (JsonProcessingException e) {
                errors.add(new FieldError("metadata", "must be a JSON object"));
            }
            if (metadataJson != null
                    && metadataJson.getBytes(StandardCharsets.UTF_8).length > settings.metadataMaxBytes()) {
                errors.add(new FieldError("metadata", "must be at most " + settings.metadataMaxBytes() + " bytes"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Checked(provider, url, metadataJson);
    }

    private void apply(LlmConfig config, LlmConfigRequest request, Checked checked, Instant now) {
        config.name = request.name.strip();
        config.provider = checked.provider().wireName();
        config.apiUrl = checked.apiUrl();
        config.model = blankToNull(request.model);
        config.enabled = request.enabled == null || request.enabled;
        config.metadata = checked.metadataJson();
        config.limits = mapper.limitsJson(request.limits);
        config.updatedAt = now;
        if (request.apiKey != null) {
            setKey(config, request.apiKey);
        }
    }

    private void setKey(LlmConfig config, Optional<String> key) {
        if (key.isEmpty()) {
            config.apiKeySealed = null;
            config.apiKeyKeyId = null;
            config.apiKeyHint = null;
            return;
        }
        String clear = key.get().strip();
        config.apiKeySealed = secrets.seal(clear, keyContext(config.id));
        config.apiKeyKeyId = secrets.currentKeyId();
        config.apiKeyHint = clear.length() >= HINT_MIN_KEY_LENGTH ? clear.substring(clear.length() - 4) : null;
    }

    /** Binds a sealed key to its row, so a ciphertext copied into another row does not open there. */
    public static String keyContext(String configId) {
        return "llm_config:" + configId + ":api_key";
    }

    private static ProblemException nameConflict(String name) {
        return ProblemException.conflict("You already have an LLM config named '" + name.strip() + "'.");
    }


    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** MySQL DATETIME(6) keeps microseconds; truncating here keeps responses equal to what a re-read gives. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
