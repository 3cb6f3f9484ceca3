package dev.suite.mcp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.EntityTags;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.mcp.McpPolicy;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.dto.McpServerRequest;
import dev.suite.mcp.registry.dto.McpServerResponse;
import dev.suite.mcp.registry.dto.OAuthSettings;
import dev.suite.mcp.upstream.StdioEnvironment;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.validation.Validator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of the server registry: validation beyond field constraints (per type, the URL guard,
 * the stdio allowlist, header and env names), ownership, unique names, sealed secrets, and events
 * after each committed change.
 *
 * <p>{@code @Startup} so a missing master key stops the service at start-up, not at the first write.
 */
@Startup
@ApplicationScoped
public class McpServerService {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Headers the gateway itself sets for the protocol; a registered value would break or spoof it. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "accept",
            "connection", "transfer-encoding", "upgrade", "te", "trailer", "keep-alive", "mcp-session-id",
            "mcp-protocol-version", "mcp-method", "mcp-name", "last-event-id");
    /** Never in a representation, so a patch's member is the update's: absent keeps, null clears, a value replaces. */
    private static final Set<String> WRITE_ONLY = Set.of("headers", "env");

    private final McpServerRepository servers;
    private final McpServerMapper mapper;
    private final McpServerEvents events;
    private final ServerSecrets secrets;
    private final McpPolicy policy;
    private final McpSettings settings;
    private final Validator validator;
    private final ServerCache cache;
    private final ObjectMapper json;

    public McpServerService(McpServerRepository servers, McpServerMapper mapper, McpServerEvents events,
            ServerSecrets secrets, McpPolicy policy, McpSettings settings, Validator validator, ServerCache cache,
            ObjectMapper json) {
        this.cache = cache;
        this.json = json;
        this.servers = servers;
        this.mapper = mapper;
        this.events = events;
        this.secrets = secrets;
        this.policy = policy;
        this.settings = settings;
        this.validator = validator;
    }

    public Uni<Page<McpServerResponse>> list(String ownerId, PageRequest page) {
        return Panache.withSession(() -> servers.page(ownerId, page.before(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, s -> s.id, mapper::toResponse));
    }

    public Uni<McpServerResponse> get(String ownerId, String serverId) {
        return Panache.withSession(() -> owned(ownerId, serverId)).map(mapper::toResponse);
    }

    /** The entity itself, read now (the proxy's hot path reads {@link ServerCache}): ownership checked, secrets sealed. */
    public Uni<McpServer> find(String ownerId, String serverId) {
        return Panache.withSession(() -> owned(ownerId, serverId));
    }

    public Uni<List<McpServer>> enabled(String ownerId) {
        return Panache.withSession(() -> servers.enabled(ownerId));
    }

    /** The owner's servers whose requests carry their OAuth token (see {@link McpServer#requiresOAuth()}). */
    public Uni<List<McpServer>> requiringOAuth(String ownerId) {
        return Panache.withSession(() -> servers.requiringOAuth(ownerId));
    }

    public Uni<McpServerResponse> create(String ownerId, McpServerRequest request) {
        ServerType type = check(request);
        return Panache.withTransaction(() -> requireFreeName(ownerId, request.name, null)
                        .chain(() -> {
                            Instant now = now();
                            McpServer server = new McpServer();
                            server.id = Ids.newId();
                            server.ownerId = ownerId;
                            server.createdAt = now;
                            apply(server, request, type, now);
                            return servers.persist(server);
                        }))
                .onFailure(MySqlErrors::isDuplicateKey).transform(e -> nameConflict(request.name))
                .map(mapper::toResponse)
                .call(created -> events.publish(McpServerEvents.CREATED, ownerId, created));
    }

    /** A full update (PUT); {@code ifMatch}, when given, must name the server as it is now. */
    public Uni<McpServerResponse> update(String ownerId, String serverId, McpServerRequest request, String ifMatch) {
        return change(ownerId, serverId, ifMatch, current -> request);
    }

    /** A JSON Merge Patch of the server as GET shows it; {@code headers} and {@code env} keep their three states. */
    public Uni<McpServerResponse> patch(String ownerId, String serverId, JsonNode patch, String ifMatch) {
        return change(ownerId, serverId, ifMatch, current -> MergePatch.read(json,
                MergePatch.apply(json.valueToTree(current), patch, WRITE_ONLY), McpServerRequest.class));
    }

    /**
     * Reads the server under a row lock, checks {@code If-Match} against it, and writes the request
     * the edit makes of it — so no other write slips in between the check and the write.
     */
    private Uni<McpServerResponse> change(String ownerId, String serverId, String ifMatch,
            Function<McpServerResponse, McpServerRequest> edit) {
        return Panache.withTransaction(() -> owned(ownerId, serverId, LockModeType.PESSIMISTIC_WRITE)
                        .chain(server -> {
                            McpServerResponse current = mapper.toResponse(server);
                            EntityTags.requireMatch(ifMatch, EntityTags.of(json, current));
                            McpServerRequest request = edit.apply(current);
                            ServerType type = check(request);
                            return requireFreeName(ownerId, request.name, serverId)
                                    .chain(() -> {
                                        // Tokens were issued for the old address: never send them to a new one,
                                        // and whether the new one asks for authorization is for it to say.
                                        boolean moved = !Objects.equals(server.url, blankToNull(request.url));
                                        apply(server, request, type, now());
                                        if (moved) {
                                            server.oauthResourceMetadata = null;
                                        }
                                        return moved || !server.requiresOAuth() ? forgetTokens(server.id)
                                                : Uni.createFrom().voidItem();
                                    })
                                    .call(servers::flush)
                                    .onFailure(MySqlErrors::isDuplicateKey).transform(e -> nameConflict(request.name))
                                    .replaceWith(server);
                        }))
                .map(mapper::toResponse)
                .invoke(() -> cache.evict(serverId))
                .call(updated -> events.publish(McpServerEvents.UPDATED, ownerId, updated));
    }

    public Uni<Void> delete(String ownerId, String serverId) {
        return Panache.withTransaction(() -> owned(ownerId, serverId)
                        .call(server -> Panache.getSession().chain(session -> session
                                .createNativeQuery("DELETE FROM mcp_server_health WHERE server_id = ?1")
                                .setParameter(1, server.id).executeUpdate()))
                        .call(server -> forgetTokens(server.id))
                        .call(servers::delete)
                        .map(mapper::toResponse))
                .invoke(() -> cache.evict(serverId))
                .call(deleted -> events.publish(McpServerEvents.DELETED, ownerId, deleted))
                .replaceWithVoid();
    }

    /** The users' OAuth tokens for a server go with its address and its protection, and with the server. */
    private static Uni<Void> forgetTokens(String serverId) {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("DELETE FROM mcp_oauth_token WHERE server_id = ?1")
                        .setParameter(1, serverId).executeUpdate())
                .replaceWithVoid();
    }

    private Uni<McpServer> owned(String ownerId, String serverId) {
        return owned(ownerId, serverId, LockModeType.NONE);
    }

    private Uni<McpServer> owned(String ownerId, String serverId, LockModeType lock) {
        if (!Ids.isId(serverId)) {
            return Uni.createFrom().failure(ProblemException.notFound("MCP server"));
        }
        return servers.findOwned(ownerId, serverId, lock)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("MCP server"));
    }

    private Uni<Void> requireFreeName(String ownerId, String name, String exceptId) {
        return servers.nameTaken(ownerId, name.strip(), exceptId)
                .invoke(taken -> {
                    if (taken) {
                        throw nameConflict(name);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Field constraints plus the rules they cannot express, checked together so that one 400 lists
     * every problem of the request.
     */
    private ServerType check(McpServerRequest request) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        ServerType type = ServerType.fromWire(request.type).orElse(null);
        if (type == ServerType.STDIO) {
            checkStdio(request, errors);
        } else if (type != null) {
            checkHttp(request, errors);
        }
        if (request.headers != null && request.headers.isPresent()) {
            request.headers.get().forEach((name, value) -> {
                if (name == null || !HEADER_NAME.matcher(name).matches()) {
                    errors.add(new FieldError("headers", "'" + name + "' is not a valid header name"));
                } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    errors.add(new FieldError("headers", "'" + name + "' is set by the gateway and cannot be configured"));
                } else if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    errors.add(new FieldError("headers", "the value of '" + name + "' must be a single-line string"));
                }
            });
        }
        if (request.env != null && request.env.isPresent()) {
            request.env.get().forEach((name, value) -> {
                if (name == null || !ENV_NAME.matcher(name).matches()) {
                    errors.add(new FieldError("env", "'" + name + "' is not a valid environment variable name"));
                } else if (value == null || value.indexOf(0) >= 0) {
                    errors.add(new FieldError("env", "the value of '" + name + "' must be a string without NUL"));
                }
            });
        }
        if (request.oauth != null && type == ServerType.STDIO) {
            errors.add(new FieldError("oauth", "is only for HTTP servers"));
        }
        if (request.oauth != null && "client_credentials".equals(request.oauth.grantType)
                && (request.oauth.clientId == null || request.oauth.clientId.isBlank())) {
            errors.add(new FieldError("oauth.client_id", "is required for the client_credentials grant"));
        }
        checkPatterns("tools_allow", request.toolsAllow, errors);
        checkPatterns("tools_deny", request.toolsDeny, errors);
        checkJsonSize("metadata", request.metadata, errors);
        checkJsonSize("ext", request.ext, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return type;
    }

    private void checkHttp(McpServerRequest request, List<FieldError> errors) {
        String url = blankToNull(request.url);
        if (url == null) {
            if (errors.stream().noneMatch(e -> e.field().equals("url"))) {
                errors.add(new FieldError("url", "is required for type " + request.type));
            }
        } else {
            policy.urlGuard().syntaxProblem(url).ifPresent(problem -> errors.add(new FieldError("url", problem)));
        }
        onlyForStdio("command", request.command != null, errors);
        onlyForStdio("args", request.args != null, errors);
        onlyForStdio("cwd", request.cwd != null, errors);
        onlyForStdio("env", request.env != null && request.env.isPresent(), errors);
    }

    private static void onlyForStdio(String field, boolean present, List<FieldError> errors) {
        if (present) {
            errors.add(new FieldError(field, "is only for stdio servers"));
        }
    }

    private void checkStdio(McpServerRequest request, List<FieldError> errors) {
        String command = blankToNull(request.command);
        Optional<McpPolicy.CatalogEntry> entry = command == null ? Optional.empty() : policy.catalogEntry(command);
        if (command == null) {
            errors.add(new FieldError("command", "is required for type stdio"));
        } else if (!policy.stdioAllowed()) {
            errors.add(new FieldError("type", "stdio servers are disabled on this gateway"));
        } else if (entry.isEmpty() && !policy.commandAllowed(command)) {
            errors.add(new FieldError("command", "is neither in the gateway's catalogue nor an allowed command"));
        }
        if (blankToNull(request.url) != null) {
            errors.add(new FieldError("url", "must be absent for stdio servers"));
        }
        if (request.headers != null && request.headers.isPresent()) {
            errors.add(new FieldError("headers", "are only for HTTP servers"));
        }
        if (request.cwd != null && !request.cwd.isBlank() && !Path.of(request.cwd).isAbsolute()) {
            errors.add(new FieldError("cwd", "must be an absolute path"));
        } else if (request.cwd != null && !request.cwd.isBlank() && entry.isPresent()) {
            errors.add(new FieldError("cwd", "cannot be set for a catalogue server"));
        }
        if (request.args != null && request.args.stream().anyMatch(a -> a == null || a.indexOf(0) >= 0)) {
            errors.add(new FieldError("args", "must be strings without NUL"));
        } else if (request.args != null && entry.isPresent()) {
            request.args.stream().filter(a -> !entry.get().argAllowed(a)).findFirst().ifPresent(a -> errors.add(
                    new FieldError("args", "'" + a + "' is not an argument the catalogue entry '" + command + "' allows")));
        }
        if (request.env != null && request.env.isPresent()) {
            request.env.get().keySet().stream().filter(name -> name != null && ENV_NAME.matcher(name).matches())
                    .forEach(name -> StdioEnvironment.refusal(name)
                            .or(() -> entry.filter(e -> !e.envAllowed(name)).map(e ->
                                    "'" + name + "' is not a variable the catalogue entry '" + command + "' allows"))
                            .ifPresent(reason -> errors.add(new FieldError("env", reason))));
        }
    }

    private static void checkPatterns(String field, List<String> patterns, List<FieldError> errors) {
        if (patterns != null && patterns.stream().anyMatch(p -> p == null || p.isBlank())) {
            errors.add(new FieldError(field, "must not contain blank names"));
        }
    }

    private void checkJsonSize(String field, Map<String, Object> value, List<FieldError> errors) {
        if (value != null && mapper.text(value).getBytes(StandardCharsets.UTF_8).length > settings.metadataMaxBytes()) {
            errors.add(new FieldError(field, "must be at most " + settings.metadataMaxBytes() + " bytes"));
        }
    }

    private void apply(McpServer server, McpServerRequest request, ServerType type, Instant now) {
        server.name = request.name.strip();
        server.type = type.wireName();
        server.enabled = request.enabled == null || request.enabled;
        server.useProxy = request.useProxy == null || request.useProxy;
        server.requestTimeoutMs = (int) (request.requestTimeoutSeconds == null
                ? settings.requestTimeout().toMillis() : request.requestTimeoutSeconds * 1000L);
        server.toolCallMaxMs = (int) (request.toolCallMaxSeconds == null
                ? settings.toolCallMax().toMillis() : request.toolCallMaxSeconds * 1000L);
        server.toolsAllow = emptyToNull(request.toolsAllow);
        server.toolsDeny = emptyToNull(request.toolsDeny);
        server.namePrefix = blankToNull(request.namePrefix);
        applyOAuth(server, request.oauth);
        server.metadata = mapper.text(request.metadata);
        server.ext = mapper.text(request.ext);
        server.updatedAt = now;
        if (type == ServerType.STDIO) {
            server.url = null;
            server.command = blankToNull(request.command);
            server.args = emptyToNull(request.args);
            server.cwd = blankToNull(request.cwd);
            secrets.setHeaders(server, null, mapper);
            if (request.env != null) {
                secrets.setEnv(server, request.env.orElse(null), mapper);
            }
        } else {
            server.url = blankToNull(request.url);
            server.command = null;
            server.args = null;
            server.cwd = null;
            secrets.setEnv(server, null, mapper);
            if (request.headers != null) {
                secrets.setHeaders(server, request.headers.orElse(null), mapper);
            }
        }
    }

    /** Keeps a pre-registered client's secret while its client id stays and no new secret is sent. */
    private void applyOAuth(McpServer server, OAuthSettings oauth) {
        if (oauth == null) {
            server.oauth = null;
            secrets.setOAuthClientSecret(server, null);
            return;
        }
        OAuthSettings previous = mapper.oauth(server);
        boolean sameClient = previous != null && Objects.equals(previous.clientId, oauth.clientId);
        if (oauth.clientSecret != null) {
            secrets.setOAuthClientSecret(server, oauth.clientSecret);
        } else if (!sameClient || oauth.clientId == null) {
            secrets.setOAuthClientSecret(server, null);
        }
        OAuthSettings stored = new OAuthSettings();
        stored.grantType = oauth.grantType;
        stored.clientId = blankToNull(oauth.clientId);
        stored.tokenEndpointAuthMethod = oauth.tokenEndpointAuthMethod;
        stored.omitResource = oauth.omitResource;
        stored.scopes = oauth.scopes;
        server.oauth = mapper.text(stored);
    }

    private String emptyToNull(List<String> values) {
        return values == null || values.isEmpty() ? null : mapper.text(values);
    }

    private static ProblemException nameConflict(String name) {
        return ProblemException.conflict("You already have an MCP server named '" + name.strip() + "'.");
    }


    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** MySQL DATETIME(6) keeps microseconds; truncating here keeps responses equal to what a re-read gives. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
