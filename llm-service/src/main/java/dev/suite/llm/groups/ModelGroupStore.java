package dev.suite.llm.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.db.Times;
import dev.suite.llm.groups.dto.GroupMember;
import dev.suite.llm.groups.dto.ModelGroupResponse;
import dev.suite.llm.limits.Limits;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Model groups in MySQL, each its owner's only. */
@ApplicationScoped
public class ModelGroupStore {

    private static final String COLUMNS = "group_id, name, strategy, members, cooldown_seconds, limits, created_at, updated_at";
    private static final TypeReference<List<GroupMember>> MEMBERS = new TypeReference<>() { };

    private final Pool pool;
    private final ObjectMapper mapper;

    public ModelGroupStore(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<Void> insert(String ownerId, ModelGroupResponse group) {
        return pool.preparedQuery("INSERT INTO llm_model_group (owner_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.from(new Object[] {ownerId, group.groupId(), group.name(), group.strategy(),
                        json(group.members()), group.cooldownSeconds(), json(group.limits()), Times.column(group.createdAt()),
                        Times.column(group.updatedAt())}))
                .replaceWithVoid();
    }

    /** Answers whether the owner had that group. */
    public Uni<Boolean> update(String ownerId, ModelGroupResponse group) {
        return pool.preparedQuery("UPDATE llm_model_group SET name = ?, strategy = ?, members = ?, cooldown_seconds = ?, "
                        + "limits = ?, updated_at = ? WHERE group_id = ? AND owner_id = ?")
                .execute(Tuple.from(new Object[] {group.name(), group.strategy(), json(group.members()),
                        group.cooldownSeconds(), json(group.limits()), Times.column(group.updatedAt()), group.groupId(), ownerId}))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<Boolean> delete(String ownerId, String groupId) {
        return pool.preparedQuery("DELETE FROM llm_model_group WHERE group_id = ? AND owner_id = ?")
                .execute(Tuple.of(groupId, ownerId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<ModelGroupResponse>> find(String ownerId, String groupId) {
        return one("group_id = ?", Tuple.of(ownerId, groupId));
    }

    public Uni<Optional<ModelGroupResponse>> findByName(String ownerId, String name) {
        return one("name = ?", Tuple.of(ownerId, name));
    }

    public Uni<List<ModelGroupResponse>> list(String ownerId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM llm_model_group WHERE owner_id = ? ORDER BY name")
                .execute(Tuple.of(ownerId)).map(rows -> {
                    List<ModelGroupResponse> out = new ArrayList<>();
                    rows.forEach(row -> out.add(group(row)));
                    return out;
                });
    }

    private Uni<Optional<ModelGroupResponse>> one(String where, Tuple params) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM llm_model_group WHERE owner_id = ? AND " + where)
                .execute(params).map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(group(rows.iterator().next())));
    }

    private ModelGroupResponse group(Row row) {
        try {
            return new ModelGroupResponse(row.getString(0), row.getString(1), row.getString(2),
                    mapper.readValue(row.getString(3), MEMBERS), row.getInteger(4),
                    row.getString(5) == null ? null : mapper.readValue(row.getString(5), Limits.class),
                    Times.instant(row.getLocalDateTime(6)), Times.instant(row.getLocalDateTime(7)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable members or limits of group " + row.getString(0), e);
        }
    }

    /** As JSON text; null stays null. */
    private String json(Object value) {
        try {
            return value == null ? null : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
