package dev.suite.commons.testing;

import dev.suite.commons.net.HostResolver;
import io.vertx.core.Future;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver for tests that decides what names under {@code .rebind.test} resolve to, answer by
 * answer: a rebinding DNS server in a few lines. Every other name goes to the real resolver. A
 * service's tests install it as an {@code @Alternative} {@link HostResolver} bean.
 */
public class ScriptedDns implements HostResolver {

    public static final String SUFFIX = ".rebind.test";
    private static final Map<String, Deque<List<InetAddress>>> ANSWERS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

    private final HostResolver real;

    public ScriptedDns(HostResolver real) {
        this.real = real;
    }

    /**
     * The answers {@code name} gives, one per lookup ({@code "10.0.0.1"}, or several addresses
     * {@code "127.0.0.2,127.0.0.1"}); the last one repeats.
     */
    public static void script(String name, String... answers) {
        Deque<List<InetAddress>> queue = new ArrayDeque<>();
        for (String answer : answers) {
            queue.add(java.util.Arrays.stream(answer.split(",")).map(ScriptedDns::literal).toList());
        }
        ANSWERS.put(name, queue);
        LOOKUPS.put(name, new AtomicInteger());
    }

    public static int lookups(String name) {
        AtomicInteger count = LOOKUPS.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public Future<List<InetAddress>> resolve(String host) {
        if (!host.endsWith(SUFFIX)) {
            return real.resolve(host);
        }
        Deque<List<InetAddress>> queue = ANSWERS.get(host);
        if (queue == null) {
            return Future.failedFuture(new UnknownHostException(host));
        }
        LOOKUPS.get(host).incrementAndGet();
        synchronized (queue) {
            return Future.succeededFuture(queue.size() > 1 ? queue.poll() : queue.peek());
        }
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
