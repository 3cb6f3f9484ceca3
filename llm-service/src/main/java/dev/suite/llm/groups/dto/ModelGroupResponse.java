package dev.suite.llm.groups.dto;

import dev.suite.llm.limits.Limits;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

@RegisterForReflection
public record ModelGroupResponse(String groupId, String name, String strategy, List<GroupMember> members,
        int cooldownSeconds, Limits limits, Instant createdAt, Instant updatedAt) {
}
