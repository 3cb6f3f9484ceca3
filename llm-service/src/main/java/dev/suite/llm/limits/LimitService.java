package dev.suite.llm.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.llm.LlmSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** The limits that apply to a user's calls, with what each has used, for the user to see. */
@ApplicationScoped
public class LimitService {

    private final Pool pool;
    private final ObjectMapper mapper;
    private final LimitGate gate;
    private final LlmSettings.UserLimits userLimits;

    public LimitService(Pool pool, ObjectMapper mapper, LimitGate gate, LlmSettings settings) {
        this.pool = pool;
        this.mapper = mapper;
        this.gate = gate;
        this.userLimits = settings.limits();
    }

    /** The user's own limits (set by the operator) first, then those of the user's configs and groups, by name. */
    public Uni<List<LimitStatus>> list(String ownerId) {
        return pool.preparedQuery("SELECT 'config', config_id, name, limits FROM llm_config "
                        + "WHERE owner_id = ? AND limits IS NOT NULL UNION ALL "
                        + "SELECT 'group', group_id, name, limits FROM llm_model_group "
                        + "WHERE owner_id = ? AND limits IS NOT NULL ORDER BY 1, 3")
                .execute(Tuple.of(ownerId, ownerId)).chain(rows -> {
                    List<Scope> scopes = new ArrayList<>();
                    Limits mine = userLimits.of(ownerId);
                    if (!mine.isEmpty()) {
                        scopes.add(Scope.user(ownerId, mine));
                    }
                    for (Row row : rows) {
                        Limits limits = read(row.getString(3));
                        scopes.add(row.getString(0).equals("config")
                                ? Scope.config(row.getString(1), row.getString(2), limits)
                                : Scope.group(row.getString(1), row.getString(2), limits));
                    }
                    return gate.peek(scopes, ownerId).map(used -> {
                        List<LimitStatus> out = new ArrayList<>();
                        for (int i = 0; i < scopes.size(); i++) {
                            Scope s = scopes.get(i);
                            out.add(new LimitStatus(s.kind(), s.id(), s.name(), s.limits(), used.get(i)));
                        }
                        return out;
                    });
                });
    }

    private Limits read(String json) {
        try {
            return mapper.readValue(json, Limits.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable limits: " + e.getMessage(), e);
        }
    }
}
