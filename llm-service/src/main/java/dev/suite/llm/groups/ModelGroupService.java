package dev.suite.llm.groups;

import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.llm.config.LlmConfigCache;
import dev.suite.llm.groups.dto.GroupMember;
import dev.suite.llm.groups.dto.ModelGroupRequest;
import dev.suite.llm.groups.dto.ModelGroupResponse;
import dev.suite.llm.limits.Limits;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Model groups of a user: members must be the caller's own configs, each once; names are unique per user. */
@ApplicationScoped
public class ModelGroupService {

    static final int DEFAULT_COOLDOWN_SECONDS = 30;

    private final ModelGroupStore store;
    private final LlmConfigCache configs;
    private final ModelGroups groups;

    public ModelGroupService(ModelGroupStore store, LlmConfigCache configs, ModelGroups groups) {
        this.store = store;
        this.configs = configs;
        this.groups = groups;
    }

    public Uni<List<ModelGroupResponse>> list(String ownerId) {
        return store.list(ownerId);
    }

    public Uni<ModelGroupResponse> get(String ownerId, String groupId) {
        return store.find(ownerId, groupId).map(found -> found.orElseThrow(() -> ProblemException.notFound("Model group")));
    }

    public Uni<ModelGroupResponse> create(String ownerId, ModelGroupRequest request) {
        Instant now = Times.now();
        return checked(ownerId, request).chain(members -> {
            ModelGroupResponse group = new ModelGroupResponse(Ids.newId(), request.name().strip(), strategy(request), members,
                    cooldown(request), limits(request), now, now);
            return store.insert(ownerId, group).onFailure(MySqlErrors::isDuplicateKey)
                    .transform(e -> taken(request.name())).replaceWith(group);
        }).invoke(group -> groups.forget(ownerId));
    }

    public Uni<ModelGroupResponse> update(String ownerId, String groupId, ModelGroupRequest request) {
        return get(ownerId, groupId).chain(existing -> checked(ownerId, request).chain(members -> {
            ModelGroupResponse group = new ModelGroupResponse(groupId, request.name().strip(), strategy(request), members,
                    cooldown(request), limits(request), existing.createdAt(), Times.now());
            return store.update(ownerId, group).onFailure(MySqlErrors::isDuplicateKey)
                    .transform(e -> taken(request.name())).replaceWith(group);
        })).invoke(group -> groups.forget(ownerId));
    }

    public Uni<Void> delete(String ownerId, String groupId) {
        return store.delete(ownerId, groupId).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("Model group");
            }
            return null;
        }).invoke(() -> groups.forget(ownerId)).replaceWithVoid();
    }

    /** The members, each one of the caller's configs and each once; every bad one named. */
    private Uni<List<GroupMember>> checked(String ownerId, ModelGroupRequest request) {
        List<GroupMember> members = request.members();
        // One at a time: the configs are read through one reactive session, which takes no concurrent use.
        return Multi.createFrom().iterable(members)
                .onItem().transformToUniAndConcatenate(member -> Ids.isId(member.configId())
                        ? configs.find(ownerId, member.configId()).map(Optional::isPresent) : Uni.createFrom().item(false))
                .collect().asList().map(found -> members(members, found));
    }

    private static List<GroupMember> members(List<GroupMember> members, List<Boolean> owned) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            if (!owned.get(i)) {
                errors.add(new FieldError("members[" + i + "].config_id", "is not one of your configs"));
            } else if (!seen.add(members.get(i).configId())) {
                errors.add(new FieldError("members[" + i + "].config_id", "is already a member"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return members.stream().map(m -> new GroupMember(m.configId(), m.weightOrDefault(), m.priorityOrDefault())).toList();
    }

    private static String strategy(ModelGroupRequest request) {
        return request.strategy() == null ? "weighted" : request.strategy();
    }

    private static int cooldown(ModelGroupRequest request) {
        return request.cooldownSeconds() == null ? DEFAULT_COOLDOWN_SECONDS : request.cooldownSeconds();
    }

    private static Limits limits(ModelGroupRequest request) {
        return request.limits() == null || request.limits().isEmpty() ? null : request.limits();
    }

    private static ProblemException taken(String name) {
        return ProblemException.conflict("You already have a model group named '" + name.strip() + "'.");
    }
}
