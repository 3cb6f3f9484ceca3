package dev.suite.commons.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vertx.core.json.DecodeException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;

/**
 * Maps every exception a resource can raise to a problem response. Client mistakes (bad JSON, wrong
 * types, unknown fields, failed constraints) are 4xx with per-field errors; anything unexpected is a
 * 500 that is logged with the request id and reveals nothing of the internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private static final Map<Integer, ProblemType> BY_STATUS = Map.of(
            400, ProblemType.VALIDATION,
            401, ProblemType.UNAUTHORIZED,
            403, ProblemType.FORBIDDEN,
            404, ProblemType.NOT_FOUND,
            405, ProblemType.METHOD_NOT_ALLOWED,
            406, ProblemType.NOT_ACCEPTABLE,
            409, ProblemType.CONFLICT,
            413, ProblemType.PAYLOAD_TOO_LARGE,
            415, ProblemType.UNSUPPORTED_MEDIA_TYPE,
            429, ProblemType.TOO_MANY_REQUESTS);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return ProblemResponses.response(e, path(uri));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        return ProblemResponses.response(ProblemException.validation(Violations.fieldErrors(e.getConstraintViolations())),
                path(uri));
    }

    /** Declared apart from the general JSON mapper so it wins over the built-in mapper of this type. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return ProblemResponses.response(fromJson(e), path(uri));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.response(fromJson(e), path(uri));
    }

    /** A Vert.x {@code JsonObject} body parameter given something that is not a JSON object. */
    @ServerExceptionMapper
    public Response vertxJson(DecodeException e, UriInfo uri) {
        return ProblemResponses.response(new ProblemException(ProblemType.MALFORMED_JSON,
                "The request body must be a JSON object.", null, null, null), path(uri));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return ProblemResponses.response(fromJson(json), path(uri));
        }
        int status = e.getResponse().getStatus();
        ProblemType type = BY_STATUS.get(status);
        if (type == null) {
            if (status >= 500) {
                LOG.errorf(e, "Request to %s failed", path(uri));
                return ProblemResponses.response(ProblemType.INTERNAL, "The server could not complete the request.",
                        path(uri));
            }
            type = ProblemType.VALIDATION;
        }
        String detail = switch (type) {
            case NOT_FOUND -> "No resource at this path.";
            case METHOD_NOT_ALLOWED -> "This method is not allowed on this resource.";
            case UNSUPPORTED_MEDIA_TYPE -> "The request body must be application/json.";
            case NOT_ACCEPTABLE -> "The requested media type cannot be produced.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            default -> e.getMessage();
        };
        return ProblemResponses.response(new ProblemException(type, detail, null, null, null), path(uri));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (Unavailability.isDependencyUnavailable(e)) {
            LOG.warnf("%s failed: a dependency is unavailable (%s)", path(uri), e.getMessage());
            return ProblemResponses.response(ProblemException.unavailable(
                    "A service this one depends on (database or cache) is unavailable; try again shortly.",
                    java.time.Duration.ofSeconds(5)), path(uri));
        }
        LOG.errorf(e, "Unexpected failure of %s", path(uri));
        return ProblemResponses.response(ProblemType.INTERNAL,
                "The server could not complete the request; quote the request id when reporting it.", path(uri));
    }

    /** A body Jackson could not read as the problem the client gets: the field and why, or malformed JSON. */
    public static ProblemException fromJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return ProblemException.invalidField(jsonPath(unknown), "unknown field");
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String expected = mismatch.getTargetType() == null ? "another type"
                    : describe(mismatch.getTargetType());
            return ProblemException.invalidField(jsonPath(mismatch), "wrong type: expected " + expected);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return ProblemException.invalidField(jsonPath(mapping), "invalid value");
        }
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new ProblemException(ProblemType.MALFORMED_JSON, "The request body is not valid JSON" + location + ".",
                null, null, null);
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
