package dev.suite.llm.limits;

/** What a set of limits applies to: a user (id and name = the user id), or one of a user's configs or model groups. */
public record Scope(String kind, String id, String name, Limits limits) {

    public static Scope user(String userId, Limits limits) {
        return new Scope("user", userId, userId, limits);
    }

    public static Scope config(String configId, String name, Limits limits) {
        return new Scope("config", configId, name, limits);
    }

    public static Scope group(String groupId, String name, Limits limits) {
        return new Scope("group", groupId, name, limits);
    }

    /** How an error names it: "user alice", "config 'OpenAI (work)'", "model group 'fast'". */
    public String label() {
        return switch (kind) {
            case "user" -> "user " + id;
            case "config" -> "config '" + name + "'";
            default -> "model group '" + name + "'";
        };
    }
}
