package dev.suite.workflow;

import dev.suite.commons.testing.SqlDb;

import java.util.List;
import java.util.Map;

/** Plain JDBC on suite_workflow_test, to check what is really stored, beside the API. */
public final class TestDb {

    private static final SqlDb DB = new SqlDb("suite_workflow_test");

    private TestDb() {
    }

    public static List<Map<String, Object>> query(String sql, Object... params) {
        return DB.query(sql, params);
    }

    public static long count(String sql, Object... params) {
        return DB.count(sql, params);
    }

    public static int update(String sql, Object... params) {
        return DB.update(sql, params);
    }
}
