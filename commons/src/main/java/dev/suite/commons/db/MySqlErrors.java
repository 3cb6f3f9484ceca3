package dev.suite.commons.db;

import io.vertx.mysqlclient.MySQLException;

import java.sql.SQLException;

/** MySQL errors the services handle rather than report, found anywhere in a failure's cause chain. */
public final class MySqlErrors {

    public static final int DUPLICATE_KEY = 1062;
    public static final int DEADLOCK = 1213;

    private MySqlErrors() {
    }

    /** A unique key refused the row: a race lost between a check and an insert. */
    public static boolean isDuplicateKey(Throwable failure) {
        return hasCode(failure, DUPLICATE_KEY);
    }

    /** InnoDB rolled this transaction back to break a lock cycle: nothing of it was written. */
    public static boolean isDeadlock(Throwable failure) {
        return hasCode(failure, DEADLOCK);
    }

    /** Two transactions raced for the same rows (or gap) and one was rolled back: worth one more try. */
    public static boolean isRaceLost(Throwable failure) {
        return hasCode(failure, DUPLICATE_KEY) || hasCode(failure, DEADLOCK);
    }

    /**
     * The driver's own exception, or the JDBC-style one Hibernate Reactive makes of it when a flush
     * fails (it keeps the MySQL error code, not the driver exception).
     */
    private static boolean hasCode(Throwable failure, int code) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MySQLException mysql && mysql.getErrorCode() == code
                    || t instanceof SQLException sql && sql.getErrorCode() == code) {
                return true;
            }
        }
        return false;
    }
}
