package dev.suite.commons.ids;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {

    @Test
    void idsAreVersion7AndIncreaseInCreationOrder() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(Ids.newId());
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(ids, sorted, "string order must be creation order, so ids work as paging cursors");
        assertEquals(ids.size(), new HashSet<>(ids).size());
        UUID uuid = UUID.fromString(ids.get(0));
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        long millis = uuid.getMostSignificantBits() >>> 16;
        assertTrue(Math.abs(System.currentTimeMillis() - millis) < 60_000);
    }

    @Test
    void recognisesOnlyCanonicalIds() {
        assertTrue(Ids.isId(Ids.newId()));
        assertFalse(Ids.isId("not-an-id"));
        assertFalse(Ids.isId("' or 1=1 --"));
        assertFalse(Ids.isId(null));
    }
}
