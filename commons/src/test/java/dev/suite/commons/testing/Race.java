package dev.suite.commons.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The same call made several times at once, for tests of races a unique index must settle. */
public final class Race {

    private Race() {
    }

    /** Runs {@code call} {@code times} times concurrently; answers what each returned (an HTTP status). */
    public static List<Integer> run(int times, Callable<Integer> call) throws Exception {
        return each(times, caller -> call.call());
    }

    /** What one of the concurrent callers does, knowing which it is. */
    public interface Caller<T> {
        T call(int caller) throws Exception;
    }

    /** Runs {@code times} callers at once, each told its number; answers what each returned, in that order. */
    public static <T> List<T> each(int times, Caller<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(times);
        try {
            List<Future<T>> calls = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                int caller = i;
                calls.add(pool.submit(() -> call.call(caller)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : calls) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
