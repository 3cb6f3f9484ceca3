package dev.suite.launcher.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's routes: which service owns a path, by prefix ({@code routes.txt}, which the
 * Kubernetes Ingress check reads too). A prefix matches the path itself and everything below it;
 * the longest matching prefix wins.
 */
public final class RouteTable {

    public record Route(String prefix, String service) {

        boolean matches(String path) {
            return path.startsWith(prefix)
                    && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
        }
    }

    /** In the file's order. */
    private final List<Route> routes;
    /** Longest prefix first, the order of matching. */
    private final List<Route> byLength;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.byLength = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()).toList();
    }

    /** The table packaged with the launcher. */
    public static RouteTable load() {
        try (InputStream in = RouteTable.class.getResourceAsStream("/routes.txt")) {
            if (in == null) {
                throw new IllegalStateException("routes.txt is missing from the launcher's classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of {@code <prefix> <service>}; blank lines and {@code #} comments are skipped. */
    public static RouteTable parse(String text) {
        List<Route> routes = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length != 2 || !fields[0].startsWith("/") || fields[0].length() > 1 && fields[0].endsWith("/")) {
                throw new IllegalArgumentException("routes.txt line " + number + ": expected '<prefix> <service>', "
                        + "the prefix starting with / and not ending with it: " + content);
            }
            routes.add(new Route(fields[0], fields[1]));
        }
        return new RouteTable(routes);
    }

    /** The route of a request path (without its query). */
    public Optional<Route> match(String path) {
        for (Route route : byLength) {
            if (route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }


    /** The services the table routes to, in the order the file first names them. */
    public Set<String> services() {
        Set<String> services = new LinkedHashSet<>();
        routes.forEach(route -> services.add(route.service()));
        return services;
    }
}
