import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference side of bench/workflow-engine: the least MySQL work one small execution needs,
 * straight against MariaDB over JDBC from {@code threads} threads with one connection each — insert
 * the execution row, claim it (the dispatcher's UPDATE), then in one transaction the multi-row
 * upsert of its 3 node_run rows and the finish UPDATE (what the journal writes). The statements are
 * workflow-service's own (ExecutionStore, Journal); {@code plain} leaves out the quota read,
 * {@code counted} first counts the owner's unfinished executions as the service does. A deadlock
 * (SQLState 40001) is counted and the execution dropped; any other error fails the run. Prints one
 * BENCH_RESULT line like the wrk scripts.
 *
 * <pre>java -cp mariadb-java-client.jar Bench.java plain|counted THREADS SECONDS WARMUP_SECONDS JDBC_URL USER PASSWORD OWNER GRAPH_FILE</pre>
 */
public class Bench {

    static final String INSERT_PLAIN = "INSERT INTO execution (execution_id, owner_id, workflow_id, workflow_version, "
            + "status, priority, graph, inputs, caller_auth, created_at) VALUES (?,?,NULL,NULL,'queued',5,?,'{}',NULL,?)";
    static final String COUNT = "SELECT COUNT(*) FROM (SELECT 1 FROM execution WHERE owner_id = ? "
            + "AND status IN ('queued','running') LIMIT ?) active";
    static final String CLAIM = "UPDATE execution SET status = 'running', run_token = ?, replica_id = ?, "
            + "started_at = COALESCE(started_at, ?) WHERE status = 'queued' AND execution_id IN (?)";
    static final String NODES = "INSERT INTO node_run (execution_id, node_id, status, attempts, outputs, output_ref, error, "
            + "started_at, finished_at) VALUES (?,?,?,?,?,?,?,?,?),(?,?,?,?,?,?,?,?,?),(?,?,?,?,?,?,?,?,?) "
            + "ON DUPLICATE KEY UPDATE status = VALUES(status), attempts = VALUES(attempts), outputs = VALUES(outputs), "
            + "output_ref = VALUES(output_ref), error = VALUES(error), started_at = VALUES(started_at), "
            + "finished_at = VALUES(finished_at)";
    static final String FINISH = "UPDATE execution SET status = ?, outputs = ?, error = ?, finished_at = ?, "
            + "caller_auth = NULL, interrupt_requested = 0 WHERE execution_id = ? AND run_token = ? AND status = 'running'";
    static final String[] NODE_IDS = {"a", "b", "c"};

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long warmup = Long.parseLong(args[3]);
        String url = args[4];
        String user = args[5];
        String password = args[6];
        String owner = args[7];
        String graph = Files.readString(Path.of(args[8])).strip();
        if (!mode.equals("plain") && !mode.equals("counted")) {
            throw new IllegalArgumentException("mode: plain or counted");
        }

        AtomicLong errors = new AtomicLong();
        AtomicLong deadlocks = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        for (int t = 0; t < threads; t++) {
            long[] samples = new long[2_000_000];
            latencies.add(samples);
            Thread worker = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password);
                        PreparedStatement insert = c.prepareStatement(INSERT_PLAIN);
                        PreparedStatement claim = c.prepareStatement(CLAIM);
                        PreparedStatement nodes = c.prepareStatement(NODES);
                        PreparedStatement finish = c.prepareStatement(FINISH)) {
                    int n = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        boolean done;
                        try {
                            done = execution(c, mode, owner, graph, insert, claim, nodes, finish);
                        } catch (SQLException e) {
                            if (!"40001".equals(e.getSQLState())) {
                                throw e;
                            }
                            c.rollback();
                            c.setAutoCommit(true);
                            deadlocks.incrementAndGet();
                            done = false;
                        }
                        long t1 = System.nanoTime();
                        if (done && t0 >= measureFrom && n < samples.length - 1) {
                            samples[++n] = (t1 - t0) / 1000;
                        }
                    }
                    samples[0] = n;
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long total = latencies.stream().mapToLong(s -> s[0]).sum();
        long[] all = new long[(int) total];
        int i = 0;
        for (long[] s : latencies) {
            System.arraycopy(s, 1, all, i, (int) s[0]);
            i += (int) s[0];
        }
        Arrays.sort(all);
        long p50 = all.length == 0 ? 0 : all[all.length / 2];
        long p99 = all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)];
        System.out.printf("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d deadlocks=%d%n",
                total, seconds * 1_000_000L, p50, p99, errors.get(), deadlocks.get());
    }

    /** One execution, start to end; false when the owner was found at the cap. */
    static boolean execution(Connection c, String mode, String owner, String graph, PreparedStatement insert,
            PreparedStatement claim, PreparedStatement nodes, PreparedStatement finish) throws SQLException {
        String id = uuidV7();
        String token = UUID.randomUUID().toString();
        c.setAutoCommit(true);
        insert.setString(1, id);
        insert.setString(2, owner);
        insert.setString(3, graph);
        insert.setObject(4, now());
        if (mode.equals("counted")) {
            try (PreparedStatement count = c.prepareStatement(COUNT)) {
                count.setString(1, owner);
                count.setInt(2, 10_000_000);
                try (var rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) >= 10_000_000) {
                        return false;
                    }
                }
            }
        }
        if (insert.executeUpdate() != 1) {
            return false;
        }
        claim.setString(1, token);
        claim.setString(2, "raw-jdbc");
        claim.setObject(3, now());
        claim.setString(4, id);
        if (claim.executeUpdate() != 1) {
            throw new SQLException("claim matched no row for " + id);
        }
        c.setAutoCommit(false);
        int p = 1;
        for (String node : NODE_IDS) {
            LocalDateTime at = now();
            nodes.setString(p++, id);
            nodes.setString(p++, node);
            nodes.setString(p++, "completed");
            nodes.setInt(p++, 1);
            nodes.setString(p++, "{\"value\":1}");
            nodes.setBoolean(p++, false);
            nodes.setString(p++, null);
            nodes.setObject(p++, at);
            nodes.setObject(p++, at);
        }
        nodes.executeUpdate();
        finish.setString(1, "completed");
        finish.setString(2, "{}");
        finish.setString(3, null);
        finish.setObject(4, now());
        finish.setString(5, id);
        finish.setString(6, token);
        if (finish.executeUpdate() != 1) {
            throw new SQLException("finish matched no row for " + id);
        }
        c.commit();
        c.setAutoCommit(true);
        return true;
    }

    static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    /** Time-ordered ids like the service's (UUIDv7), so the primary key grows at its end as there. */
    static String uuidV7() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | (0x7L << 12) | r.nextInt(0x1000);
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
