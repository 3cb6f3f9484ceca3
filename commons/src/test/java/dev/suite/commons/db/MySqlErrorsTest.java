package dev.suite.commons.db;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MySqlErrorsTest {

    @Test
    void aDuplicateKeyIsFoundInTheExceptionHibernateReactiveMakes() {
        // Hibernate Reactive reports a failed flush as its own exception around a JDBC-style one.
        RuntimeException flush = new RuntimeException("could not execute statement",
                new SQLException("Duplicate entry 'a' for key 'uk'", "23000", MySqlErrors.DUPLICATE_KEY));
        assertTrue(MySqlErrors.isDuplicateKey(flush));
        assertTrue(MySqlErrors.isRaceLost(new SQLException("Deadlock", "40001", MySqlErrors.DEADLOCK)));
        assertFalse(MySqlErrors.isDuplicateKey(new SQLException("Data too long", "22001", 1406)));
    }
}
