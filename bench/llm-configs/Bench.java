import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw-DB reference for bench/llm-configs: the same SQL the service issues (copied from Hibernate's
 * log), over plain JDBC, N threads with one connection each, closed loop like wrk.
 *
 * <pre>java -cp mariadb-java-client.jar Bench.java list|create THREADS SECONDS WARMUP_SECONDS JDBC_URL USER PASSWORD OWNER NAME_PREFIX</pre>
 *
 * Prints one line: BENCH_RESULT requests=.. duration_us=.. p50_us=.. p99_us=.. errors=..
 */
public class Bench {

    static final String LIST_SQL = "select lc1_0.config_id, lc1_0.api_key_hint, lc1_0.api_key_key_id, lc1_0.api_key_sealed,"
            + " lc1_0.api_url, lc1_0.created_at, lc1_0.enabled, lc1_0.metadata, lc1_0.model, lc1_0.name, lc1_0.owner_id,"
            + " lc1_0.provider, lc1_0.updated_at from llm_config lc1_0 where lc1_0.owner_id=?"
            + " order by lc1_0.config_id desc limit ?, ?";
    static final String COUNT_SQL = "select count(*) from llm_config lc1_0"
            + " where lc1_0.owner_id=? and lc1_0.name=? and lc1_0.config_id<>?";
    static final String INSERT_SQL = "insert into llm_config (api_key_hint, api_key_key_id, api_key_sealed, api_url,"
            + " created_at, enabled, metadata, model, name, owner_id, provider, updated_at, config_id)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final SecureRandom RANDOM = new SecureRandom();

    interface Op {
        void run() throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            System.err.println("usage: Bench list|create THREADS SECONDS WARMUP_SECONDS JDBC_URL USER PASSWORD OWNER NAME_PREFIX");
            System.exit(2);
        }
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long warmupSeconds = Long.parseLong(args[3]);
        String url = args[4], user = args[5], password = args[6], owner = args[7], prefix = args[8];

        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        AtomicLong errors = new AtomicLong();
        String[] firstErrorText = new String[1];
        long[] window = new long[2]; // measurement start/end (nanoTime), set when every connection is open
        CyclicBarrier start = new CyclicBarrier(threads + 1, () -> {
            window[0] = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            window[1] = window[0] + seconds * 1_000_000_000L;
        });

        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int tid = t;
            workers[t] = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    Op op = switch (mode) {
                        case "list" -> listOp(c, owner);
                        case "create" -> createOp(c, owner, prefix + "-" + tid);
                        default -> throw new IllegalArgumentException("mode " + mode);
                    };
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    start.await();
                    long measureFrom = window[0], measureTo = window[1];
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= measureTo) {
                            break;
                        }
                        try {
                            op.run();
                        } catch (SQLException e) {
                            if (errors.getAndIncrement() == 0) {
                                synchronized (firstErrorText) {
                                    firstErrorText[0] = e.toString();
                                }
                            }
                            continue;
                        }
                        long t1 = System.nanoTime();
                        // Count an operation in the window when it started inside it (as wrk does).
                        if (t0 >= measureFrom) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = t1 - t0;
                        }
                    }
                    latencies[tid] = lat;
                    counts[tid] = n;
                } catch (Exception e) {
                    start.reset(); // a thread that never reaches the barrier must not hang the others
                    errors.incrementAndGet();
                    synchronized (firstErrorText) {
                        if (firstErrorText[0] == null) {
                            firstErrorText[0] = e.toString();
                        }
                    }
                    latencies[tid] = new long[0];
                }
            }, "bench-" + t);
            workers[t].start();
        }
        // The barrier trips once every connection is open; threads then warm up, then measure.
        start.await(60, java.util.concurrent.TimeUnit.SECONDS);
        for (Thread w : workers) {
            w.join();
        }

        int total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        long p50 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.ceil(total * 0.50) - 1)];
        long p99 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)];
        if (errors.get() > 0) {
            System.err.println("Bench: " + errors.get() + " errors; first: " + firstErrorText[0]);
        }
        System.out.printf("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d%n",
                total, seconds * 1_000_000L, p50 / 1000, p99 / 1000, errors.get());
    }

    static Op listOp(Connection c, String owner) throws SQLException {
        PreparedStatement ps = c.prepareStatement(LIST_SQL);
        return () -> {
            ps.setString(1, owner);
            ps.setInt(2, 0);
            ps.setInt(3, 51);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                // Read every column, as Hibernate does when it builds the entities.
                while (rs.next()) {
                    rs.getString(1);
                    rs.getString(2);
                    rs.getString(3);
                    rs.getString(4);
                    rs.getString(5);
                    rs.getObject(6, LocalDateTime.class);
                    rs.getBoolean(7);
                    rs.getString(8);
                    rs.getString(9);
                    rs.getString(10);
                    rs.getString(11);
                    rs.getString(12);
                    rs.getObject(13, LocalDateTime.class);
                    rows++;
                }
            }
            if (rows != 51) {
                throw new SQLException("expected a full page (51 rows), got " + rows);
            }
        };
    }

    static Op createOp(Connection c, String owner, String namePrefix) throws SQLException {
        c.setAutoCommit(false);
        PreparedStatement count = c.prepareStatement(COUNT_SQL);
        PreparedStatement insert = c.prepareStatement(INSERT_SQL);
        long[] counter = {0};
        return () -> {
            String name = namePrefix + "-" + (++counter[0]) + "-" + Integer.toHexString(RANDOM.nextInt(1 << 24));
            String id = uuidV7();
            try {
                count.setString(1, owner);
                count.setString(2, name);
                count.setString(3, id);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new SQLException("name taken: " + name);
                    }
                }
                byte[] sealed = new byte[66]; // same length as a sealed 44-char key: 12 IV + 44 + 16 tag
                RANDOM.nextBytes(sealed);
                String keyId = "0123abcd";
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
                insert.setString(1, "wxyz");
                insert.setString(2, keyId);
                insert.setString(3, "v1:" + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed));
                insert.setString(4, "https://api.openai.com/v1");
                insert.setObject(5, now);
                insert.setBoolean(6, true);
                insert.setNull(7, java.sql.Types.VARCHAR);
                insert.setString(8, "gpt-4o-mini");
                insert.setString(9, name);
                insert.setString(10, owner);
                insert.setString(11, "openai");
                insert.setObject(12, now);
                insert.setString(13, id);
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        };
    }

    /** UUIDv7 like dev.suite.commons.ids.Ids: time-ordered, so inserts append to the primary key. */
    static String uuidV7() {
        long ms = System.currentTimeMillis();
        long msb = (ms << 16) | (0x7L << 12) | (RANDOM.nextInt(0x1000));
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
