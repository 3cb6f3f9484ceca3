package dev.suite.commons.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A service's own OpenAPI document as the contract of its wire: a REST Assured filter that checks
 * every JSON request a test sends and every JSON response it gets against the operation's schemas.
 * A front end generates its client from that document, so a property on the wire that the
 * document lacks, a wrong type, a missing required property or an undocumented operation or
 * status is a finding.
 *
 * <p>It reads the subset of JSON Schema the services' documents use ({@code $ref}, {@code type}
 * with {@code "null"}, {@code properties}, {@code required}, {@code items},
 * {@code additionalProperties}, {@code enum}, {@code oneOf}/{@code anyOf}/{@code allOf}). Jackson
 * writes absent values as {@code null}, so a property that is not required may be null.
 */
public final class WireContract implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final List<String> findings = new ArrayList<>();

    private WireContract(JsonNode document) {
        this.document = document;
    }

    public static WireContract of(String documentJson) {
        try {
            return new WireContract(JSON.readTree(documentJson));
        } catch (IOException e) {
            throw new IllegalArgumentException("the OpenAPI document is not JSON", e);
        }
    }

    /**
     * What is wrong with the document itself: Jackson's node classes described instead of the JSON
     * they hold, and property names that are not the snake_case the API speaks.
     */
    public List<String> documentFindings() {
        List<String> out = new ArrayList<>();
        JsonNode schemas = document.path("components").path("schemas");
        for (String internal : List.of("JsonNode", "JsonNodeType", "ObjectNode", "ArrayNode")) {
            if (schemas.has(internal)) {
                out.add("components.schemas." + internal + " describes Jackson's API, not the JSON on the wire");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> all = schemas.fields(); all.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = all.next();
            schema.getValue().path("properties").fieldNames().forEachRemaining(name -> {
                if (!name.matches("[a-z0-9_]+")) {
                    out.add("components.schemas." + schema.getKey() + "." + name + " is not snake_case");
                }
            });
        }
        return out;
    }

    /** What the filtered exchanges broke so far, one line each. */
    public synchronized List<String> findings() {
        return List.copyOf(findings);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        String method = request.getMethod().toLowerCase(Locale.ROOT);
        String path = request.getURI().replaceFirst("^[a-z]+://[^/]+", "").replaceFirst("[?#].*$", "");
        String where = request.getMethod() + " " + path;
        JsonNode operation = operation(method, path);
        if (operation == null) {
            record(where + ": not in the document");
            return response;
        }
        String sent = request.getBody() == null ? null : request.getBody().toString();
        String sentType = request.getContentType();
        if (sent != null && !sent.isEmpty() && isJson(sentType) && response.statusCode() < 400) {
            JsonNode schema = mediaSchema(operation.path("requestBody").path("content"), sentType);
            if (schema == null) {
                record(where + ": request body of type " + sentType + " not documented");
            } else {
                check(schema, parse(sent), where + " request");
            }
        }
        int status = response.statusCode();
        JsonNode described = operation.path("responses").path(Integer.toString(status));
        if (described.isMissingNode()) {
            described = operation.path("responses").path("default");
        }
        if (described.isMissingNode() && status < 400) {
            record(where + ": status " + status + " not documented");
            return response;
        }
        String body = response.asString();
        String type = response.getContentType();
        if (body.isEmpty() || !isJson(type)) {
            return response;
        }
        JsonNode schema = described.isMissingNode() ? null : mediaSchema(described.path("content"), type);
        if (schema == null && status >= 400) {
            schema = document.path("components").path("schemas").path("Problem");
        }
        if (schema == null || schema.isMissingNode()) {
            record(where + ": " + status + " body of type " + type + " not documented");
        } else {
            check(schema, parse(body), where + " " + status);
        }
        return response;
    }

    private JsonNode operation(String method, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String template = "\\Q" + entry.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(template, path) && entry.getValue().has(method)) {
                return entry.getValue().get(method);
            }
        }
        return null;
    }

    private static JsonNode mediaSchema(JsonNode content, String contentType) {
        String bare = contentType.split(";")[0].strip();
        for (String candidate : List.of(bare, "application/json", "*/*")) {
            if (content.has(candidate)) {
                return content.get(candidate).path("schema");
            }
        }
        return null;
    }

    private void check(JsonNode schema, JsonNode value, String where) {
        List<String> problems = new ArrayList<>();
        validate(schema, value, "$", problems);
        problems.forEach(problem -> record(where + ": " + problem));
    }

    private void validate(JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema.has("$ref")) {
            validate(resolve(schema.get("$ref").asText()), value, at, problems);
        }
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(part -> validate(part, value, at, problems));
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (schema.has(alternatives)) {
                boolean any = false;
                for (JsonNode part : schema.get(alternatives)) {
                    List<String> partProblems = new ArrayList<>();
                    validate(part, value, at, partProblems);
                    any |= partProblems.isEmpty();
                }
                if (!any) {
                    problems.add(at + " matches none of " + alternatives);
                }
            }
        }
        if (!typeAllows(schema, value)) {
            problems.add(at + " is " + kind(value) + ", documented as " + schema.get("type"));
            return;
        }
        if (schema.has("enum") && !value.isNull()) {
            boolean listed = false;
            for (JsonNode option : schema.get("enum")) {
                listed |= option.equals(value);
            }
            if (!listed) {
                problems.add(at + " is " + value + ", not one of " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            validateObject(schema, value, at, problems);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
            }
        }
    }

    private void validateObject(JsonNode schema, JsonNode value, String at, List<String> problems) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (JsonNode required : schema.path("required")) {
            JsonNode present = value.get(required.asText());
            if (present == null) {
                problems.add(at + "." + required.asText() + " is required but absent");
            }
        }
        if (!properties.isObject() && additional == null) {
            return; // a free-form object
        }
        for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = member.getKey();
            JsonNode property = properties.get(name);
            if (property != null) {
                if (!member.getValue().isNull() || isRequired(schema, name)) {
                    validate(property, member.getValue(), at + "." + name, problems);
                }
            } else if (additional != null && additional.isObject()) {
                validate(additional, member.getValue(), at + "." + name, problems);
            } else if (additional == null || !additional.asBoolean()) {
                problems.add(at + "." + name + " is on the wire but not in the document");
            }
        }
    }

    private static boolean isRequired(JsonNode schema, String name) {
        for (JsonNode required : schema.path("required")) {
            if (required.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode resolve(String ref) {
        JsonNode target = document.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalStateException("the document refers to " + ref + ", which it lacks");
        }
        return target;
    }

    private static boolean typeAllows(JsonNode schema, JsonNode value) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return true;
        }
        List<String> types = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        String kind = kind(value);
        return types.contains(kind) || kind.equals("integer") && types.contains("number");
    }

    private static String kind(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isArray() ? "array" : "object";
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String bare = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        return bare.equals("application/json") || bare.endsWith("+json");
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    private synchronized void record(String finding) {
        findings.add(finding);
    }
}
