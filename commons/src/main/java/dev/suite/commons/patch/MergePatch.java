package dev.suite.commons.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemMappers;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * JSON Merge Patch (RFC 7396) of a resource's representation: members of the patch replace the
 * representation's, objects merge member by member, {@code null} removes a member.
 *
 * <p>Write-only fields (secrets) never appear in a representation, and the suite gives them three
 * states — absent keeps, {@code null} clears, a value replaces. So for those fields the patch's
 * member is carried over as it is, {@code null} included, for the update to read as it reads a PUT.
 */
public final class MergePatch {

    public static final String MEDIA_TYPE = "application/merge-patch+json";

    private MergePatch() {
    }

    /**
     * The merged representation read as the resource's request body — the same field errors as a
     * PUT of it would give (unknown and mistyped fields), for the caller to validate next.
     */
    public static <T> T read(ObjectMapper json, ObjectNode merged, Class<T> requestType) {
        try {
            return json.treeToValue(merged, requestType);
        } catch (JsonProcessingException e) {
            throw ProblemMappers.fromJson(e);
        }
    }

    /**
     * The representation with the patch applied; neither argument is changed.
     *
     * @throws ProblemException 400 when the patch is not a JSON object
     */
    public static ObjectNode apply(ObjectNode representation, JsonNode patch, Set<String> writeOnlyFields) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.invalidField("body", "must be a JSON object (a JSON Merge Patch of the resource)");
        }
        ObjectNode merged = representation.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> members = patch.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            if (writeOnlyFields.contains(member.getKey())) {
                merged.set(member.getKey(), member.getValue().deepCopy());
            } else {
                merge(merged, member.getKey(), member.getValue());
            }
        }
        return merged;
    }

    /** RFC 7396 section 2, for one member of an object. */
    private static void merge(ObjectNode target, String name, JsonNode value) {
        if (value.isNull()) {
            target.remove(name);
        } else if (value.isObject()) {
            JsonNode current = target.get(name);
            ObjectNode into = current != null && current.isObject() ? (ObjectNode) current : target.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                merge(into, member.getKey(), member.getValue());
            }
            target.set(name, into);
        } else {
            target.set(name, value.deepCopy());
        }
    }
}
