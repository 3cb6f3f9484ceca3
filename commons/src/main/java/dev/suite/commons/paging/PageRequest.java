package dev.suite.commons.paging;

import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code limit} (1–200, default 50) and {@code before} cursor (an id from a previous
 * page's {@code next_before}). Lists are newest first, so the next page holds ids below the cursor.
 */
public record PageRequest(int limit, String before) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** Takes the raw query parameters, so a non-number is a 400 with a field error rather than a 404. */
    public static PageRequest of(String limit, String before) {
        List<FieldError> errors = new ArrayList<>();
        int effective = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                effective = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                effective = -1;
            }
        }
        if (effective < 1 || effective > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        }
        String cursor = before == null || before.isBlank() ? null : before;
        if (cursor != null && !Ids.isId(cursor)) {
            errors.add(new FieldError("before", "must be an id from next_before"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new PageRequest(effective, cursor);
    }

    /** Rows to fetch: one more than shown, to learn whether a next page exists. */
    public int fetchSize() {
        return limit + 1;
    }
}
