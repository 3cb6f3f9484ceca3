package dev.suite.commons.paging;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paged list. {@code next_before} is the cursor for the following page, or
 * null on the last page.
 */
@RegisterForReflection
public record Page<T>(List<T> items, String nextBefore) {

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that another
     * page exists, and is not returned.
     */
    public static <R, T> Page<T> of(List<R> rows, PageRequest request, Function<R, String> idOf,
            Function<R, T> toItem) {
        boolean more = rows.size() > request.limit();
        List<R> shown = more ? rows.subList(0, request.limit()) : rows;
        String next = more ? idOf.apply(shown.get(shown.size() - 1)) : null;
        return new Page<>(shown.stream().map(toItem).toList(), next);
    }
}
