package dev.suite.llm.chat;

import dev.suite.commons.ids.Ids;
import dev.suite.llm.config.CachedConfig;
import dev.suite.llm.config.LlmConfigCache;
import dev.suite.llm.groups.ModelGroups;
import dev.suite.llm.limits.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the caller's config for a chat call: by {@code X-Suite-Config-Id}, by config id, by config
 * name, by {@code name/model} (which overrides the config's model), or — when no config has that
 * name — by the name of one of the caller's model groups, whose members become the call's config
 * and fallbacks. Disabled and foreign configs are as unknown as missing ones.
 */
@ApplicationScoped
public class ModelResolver {

    /**
     * The config to call and the model to ask its provider for; the configs to fall back on, in
     * order; and, for a group's member, how long a member that fails cools down and the group's
     * limits (both null otherwise).
     */
    public record Target(CachedConfig config, String upstreamModel, List<String> fallbacks, Duration cooldown,
            Scope group) {
    }

    private final LlmConfigCache cache;
    private final ModelGroups groups;

    public ModelResolver(LlmConfigCache cache, ModelGroups groups) {
        this.cache = cache;
        this.groups = groups;
    }

    public Uni<Target> resolve(String ownerId, String model, String configIdHeader) {
        if (configIdHeader != null && !configIdHeader.isBlank()) {
            return byId(ownerId, configIdHeader.strip()).map(found -> {
                CachedConfig config = usable(found, model);
                boolean namesConfig = model == null || model.isBlank() || model.equals(config.configId())
                        || model.equals(config.name());
                return target(config, namesConfig ? null : model, model);
            });
        }
        if (model == null || model.isBlank()) {
            return Uni.createFrom().failure(ChatException.invalidRequest(
                    "'model' is required: a config's name or id (or send X-Suite-Config-Id)."));
        }
        if (Ids.isId(model)) {
            return byId(ownerId, model).map(found -> target(usable(found, model), null, model));
        }
        return byName(ownerId, model);
    }

    /** Tries the whole string as a name, then each {@code name/model} split, from the left. */
    private Uni<Target> byName(String ownerId, String model) {
        List<String[]> candidates = new ArrayList<>();
        candidates.add(new String[] {model, null});
        for (int slash = model.indexOf('/'); slash > 0; slash = model.indexOf('/', slash + 1)) {
            candidates.add(new String[] {model.substring(0, slash), model.substring(slash + 1)});
        }
        return firstEnabled(ownerId, model, candidates, 0);
    }

    private Uni<Target> firstEnabled(String ownerId, String requested, List<String[]> candidates, int index) {
        if (index == candidates.size()) {
            return groups.choose(ownerId, requested).chain(choice -> choice.isPresent()
                    ? firstMember(ownerId, requested, choice.get(), 0)
                    : Uni.createFrom().failure(ChatException.modelNotFound(requested)));
        }
        String[] candidate = candidates.get(index);
        return cache.findByName(ownerId, candidate[0]).chain(found -> found.isPresent() && found.get().enabled()
                ? Uni.createFrom().item(target(found.get(), candidate[1], requested))
                : firstEnabled(ownerId, requested, candidates, index + 1));
    }

    /** The group's first member that is still an enabled config of the caller; the rest are its fallbacks. */
    private Uni<Target> firstMember(String ownerId, String requested, ModelGroups.Choice choice, int index) {
        if (index == choice.configIds().size()) {
            return Uni.createFrom().failure(ChatException.modelNotFound(requested));
        }
        return cache.find(ownerId, choice.configIds().get(index)).chain(found -> {
            if (found.isEmpty() || !found.get().enabled()) {
                return firstMember(ownerId, requested, choice, index + 1);
            }
            Target member = target(found.get(), null, requested);
            List<String> rest = choice.configIds().subList(index + 1, choice.configIds().size());
            return Uni.createFrom().item(new Target(member.config(), member.upstreamModel(), List.copyOf(rest),
                    choice.cooldown(), choice.scope()));
        });
    }

    private Uni<Optional<CachedConfig>> byId(String ownerId, String configId) {
        return Ids.isId(configId) ? cache.find(ownerId, configId) : Uni.createFrom().item(Optional.empty());
    }

    private static CachedConfig usable(Optional<CachedConfig> config, String requested) {
        if (config.isEmpty() || !config.get().enabled()) {
            throw ChatException.modelNotFound(requested);
        }
        return config.get();
    }

    private static Target target(CachedConfig config, String override, String requested) {
        String model = override != null && !override.isBlank() ? override : config.model();
        if (model == null || model.isBlank()) {
            if (config.provider() == dev.suite.llm.config.Provider.ECHO) {
                model = "echo";
            } else {
                throw ChatException.invalidRequest("The config '" + config.name()
                        + "' names no model: ask for '" + config.name() + "/<model>'.");
            }
        }
        return new Target(config, model, config.fallbacks(), null, null);
    }
}
