package dev.suite.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.patch.MergePatch;

import java.util.Set;

/**
 * JSON Merge Patch for the update bodies that read an absent field as "keep" and {@code null} as
 * "clear" (sessions, messages). A plain merge drops the members the patch sets to {@code null},
 * and such a body would then keep them; so each one is put back as an explicit {@code null},
 * which clears it, as RFC 7396 means.
 */
public final class PartialUpdatePatch {

    private PartialUpdatePatch() {
    }

    /** {@code current} (the resource as GET shows it) with the patch applied, read as an update body. */
    public static <T> T read(ObjectMapper json, Object current, JsonNode patch, Class<T> updateType) {
        ObjectNode representation = json.valueToTree(current);
        ObjectNode merged = MergePatch.apply(representation, patch, Set.of());
        representation.fieldNames().forEachRemaining(name -> {
            if (!merged.has(name)) {
                merged.putNull(name);
            }
        });
        return MergePatch.read(json, merged, updateType);
    }
}
