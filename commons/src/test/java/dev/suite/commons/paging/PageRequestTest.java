package dev.suite.commons.paging;

import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageRequestTest {

    @Test
    void defaultsAndBounds() {
        assertEquals(50, PageRequest.of(null, null).limit());
        assertEquals(200, PageRequest.of("200", "").limit());
        assertNull(PageRequest.of("1", " ").before());
    }

    @Test
    void badLimitAndCursorAreFieldErrors() {
        ProblemException e = assertThrows(ProblemException.class, () -> PageRequest.of("201", "nope"));
        assertEquals(List.of("limit", "before"), e.errors().stream().map(FieldError::field).toList());
        assertThrows(ProblemException.class, () -> PageRequest.of("0", null));
        assertThrows(ProblemException.class, () -> PageRequest.of("ten", null));
    }

    @Test
    void pageKeepsOneRowBackAsTheCursorSignal() {
        PageRequest request = PageRequest.of("2", null);
        List<String> rows = List.of(Ids.newId(), Ids.newId(), Ids.newId());
        Page<String> page = Page.of(rows, request, r -> r, r -> r);
        assertEquals(rows.subList(0, 2), page.items());
        assertEquals(rows.get(1), page.nextBefore());
        assertNull(Page.of(rows.subList(0, 2), request, r -> r, r -> r).nextBefore());
    }
}
