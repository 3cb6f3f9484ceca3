package dev.suite.commons.db;

import java.util.Collections;

/** The {@code ?, ?, …} of an {@code IN (…)} or a multi-row insert. */
public final class Placeholders {

    private Placeholders() {
    }

    public static String of(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }
}
