import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference side of bench/session-messages: the SQL session-service runs for an append (one
 * message after the newest) and a page read, straight against MariaDB over JDBC, from {@code threads} threads with one connection
 * each, over the same sessions. Prints one BENCH_RESULT line like the wrk scripts.
 *
 * <pre>java -cp mariadb-java-client.jar Bench.java append|page THREADS SECONDS WARMUP_SECONDS JDBC_URL USER PASSWORD OWNER SESSION_ID...</pre>
 */
public class Bench {

    static final String APPEND = "CALL append_message_alone(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String PAGE = "SELECT m.message_id, m.session_id, m.parent_id, m.role, m.content, m.thinking, "
            + "m.tool_calls, m.token_count, m.acc_token, m.ext, m.mcpdetail, m.created_at, m.updated_at "
            + "FROM chat_message m WHERE m.session_id = ? AND m.owner_id = ? ORDER BY m.seq DESC LIMIT ?";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long warmup = Long.parseLong(args[3]);
        String url = args[4];
        String user = args[5];
        String password = args[6];
        String owner = args[7];
        List<String> sessions = Arrays.asList(args).subList(8, args.length);

        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        for (int t = 0; t < threads; t++) {
            String session = sessions.get(t % sessions.size());
            long[] samples = new long[2_000_000];
            long[] count = new long[1];
            latencies.add(samples);
            Thread worker = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    int n = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        if (mode.equals("append")) {
                            append(c, owner, session);
                        } else {
                            page(c, owner, session);
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && n < samples.length - 1) {
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
        System.out.printf("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d%n",
                total, seconds * 1_000_000L, p50, p99, errors.get());
    }

    /** One append as session-service makes it: the append_message_alone procedure, one round trip. */
    static void append(Connection c, String owner, String session) throws Exception {
        c.setAutoCommit(true);
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (PreparedStatement call = c.prepareStatement(APPEND)) {
            call.setString(1, UUID.randomUUID().toString());
            call.setString(2, session);
            call.setString(3, owner);
            call.setString(4, "user");
            call.setString(5, "How long should green tea steep at 80 degrees?");
            call.setString(6, null);
            call.setString(7, null);
            call.setInt(8, 12);
            call.setString(9, null);
            call.setString(10, null);
            call.setTimestamp(11, now);
            call.setTimestamp(12, now);
            try (ResultSet rs = call.executeQuery()) {
                rs.next();
                if (rs.getString(3) == null) {
                    throw new IllegalStateException("no session " + session);
                }
            }
        }
    }

    /** One page read: the newest 50 messages of the session, with its ownership in the same query. */
    static void page(Connection c, String owner, String session) throws Exception {
        c.setAutoCommit(true);
        try (PreparedStatement page = c.prepareStatement(PAGE)) {
            page.setString(1, session);
            page.setString(2, owner);
            page.setInt(3, 51);
            try (ResultSet rs = page.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    for (int col = 1; col <= 13; col++) {
                        rs.getObject(col);
                    }
                    n++;
                }
                if (n != 51) {
                    throw new IllegalStateException("page of " + n + " rows");
                }
            }
        }
    }
}
