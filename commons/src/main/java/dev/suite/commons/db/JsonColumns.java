package dev.suite.commons.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/** JSON values kept as text columns ({@code tool_calls}, {@code ext}, {@code mcpdetail}). */
@ApplicationScoped
public class JsonColumns {

    private final ObjectMapper mapper;

    public JsonColumns(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unwritable JSON value", e);
        }
    }

    public JsonNode read(String column) {
        if (column == null) {
            return null;
        }
        try {
            return mapper.readTree(column);
        } catch (JsonProcessingException e) {
            // Only this service writes these columns, always from a parsed tree.
            throw new IllegalStateException("stored JSON column is not JSON", e);
        }
    }
}
