package dev.suite.commons.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Makes each service's OpenAPI document say what goes over the wire where annotations cannot:
 * <ol>
 * <li>a PUT or PATCH body may carry the representation's server-owned properties (ids, times,
 *     hints): its schema lists them as {@code readOnly}, accepted and ignored, so a client can
 *     send back what GET gave it;</li>
 * <li>a PATCH body is a JSON Merge Patch: any subset of the request's properties, so its schema
 *     is the request's without {@code required};</li>
 * <li>every 4xx and 5xx answer is an RFC 9457 problem: responses documented without a body get
 *     {@code application/problem+json} with the {@code Problem} schema.</li>
 * </ol>
 * The round-trip tests of each resource hold the request classes to the first point, and each
 * service's WireContractTest holds the whole document to real traffic.
 */
public class WireDocument implements OASFilter {

    private static final String REF_PREFIX = "#/components/schemas/";
    private static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getPaths() == null || api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        List<PathItem> items = new ArrayList<>(api.getPaths().getPathItems().values());
        for (PathItem item : items) {
            Schema representation = schemas.get(refName(responseSchema(item.getGET())));
            if (representation == null) {
                continue;
            }
            Stream.of(item.getPUT(), item.getPATCH()).filter(Objects::nonNull)
                    .flatMap(operation -> requestMedia(operation).stream())
                    .map(media -> schemas.get(refName(media.getSchema())))
                    .filter(Objects::nonNull)
                    .distinct()
                    .forEach(request -> addServerOwned(request, representation));
        }
        if (schemas.containsKey("Problem")) {
            items.forEach(WireDocument::problemBodies);
        }
        for (PathItem item : items) {
            for (MediaType media : requestMedia(item.getPATCH())) {
                String name = refName(media.getSchema());
                if (schemas.containsKey(name)) {
                    if (api.getComponents().getSchemas().get(name + "Patch") == null) {
                        api.getComponents().addSchema(name + "Patch", mergePatchOf(schemas.get(name)));
                    }
                    media.setSchema(OASFactory.createSchema().ref(REF_PREFIX + name + "Patch"));
                }
            }
        }
    }

    private static void problemBodies(PathItem item) {
        for (Operation operation : item.getOperations().values()) {
            if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
                continue;
            }
            operation.getResponses().getAPIResponses().forEach((status, response) -> {
                if ((status.startsWith("4") || status.startsWith("5")) && response.getRef() == null
                        && (response.getContent() == null || response.getContent().getMediaTypes() == null
                        || response.getContent().getMediaTypes().isEmpty())) {
                    response.setContent(OASFactory.createContent().addMediaType(PROBLEM_MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF_PREFIX + "Problem"))));
                }
            });
        }
    }

    private static void addServerOwned(Schema request, Schema representation) {
        if (request.getProperties() == null || representation.getProperties() == null) {
            return;
        }
        representation.getProperties().forEach((name, property) -> {
            if (!request.getProperties().containsKey(name)) {
                Schema owned = OASFactory.createSchema();
                owned.setAll(property.getAll());
                owned.setReadOnly(true);
                owned.setDescription("Read-only here (the server sets it, or it is fixed at creation): accepted and ignored in request bodies.");
                request.addProperty(name, owned);
            }
        });
    }

    private static Schema mergePatchOf(Schema request) {
        Schema patch = OASFactory.createSchema();
        patch.setAll(request.getAll());
        patch.setRequired(null);
        patch.setDescription("A JSON Merge Patch (RFC 7396) of the resource: any of these properties; "
                + "null removes a property (clears a secret), objects merge member by member.");
        return patch;
    }

    private static Schema responseSchema(Operation operation) {
        if (operation == null || operation.getResponses() == null) {
            return null;
        }
        APIResponse ok = operation.getResponses().getAPIResponse("200");
        if (ok == null || ok.getContent() == null || ok.getContent().getMediaType("application/json") == null) {
            return null;
        }
        return ok.getContent().getMediaType("application/json").getSchema();
    }

    private static List<MediaType> requestMedia(Operation operation) {
        if (operation == null || operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return List.of();
        }
        return List.copyOf(operation.getRequestBody().getContent().getMediaTypes().values());
    }

    private static String refName(Schema schema) {
        return schema != null && schema.getRef() != null && schema.getRef().startsWith(REF_PREFIX)
                ? schema.getRef().substring(REF_PREFIX.length()) : null;
    }
}
