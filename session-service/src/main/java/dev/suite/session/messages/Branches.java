package dev.suite.session.messages;

import dev.suite.session.messages.MessageStore.Link;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a session's message tree, held in memory as its links. Done here rather than with a
 * recursive SQL query because branches can be longer than the recursion limits MariaDB and MySQL
 * apply by default, and one read of the links serves a whole walk.
 */
public final class Branches {

    private Branches() {
    }

    /** The seqs of the branch from its root to {@code leafId}, oldest first; empty when the leaf is not there. */
    public static List<Long> branch(List<Link> links, String leafId) {
        Map<String, Link> byId = new HashMap<>();
        links.forEach(link -> byId.put(link.messageId(), link));
        List<Long> path = new ArrayList<>();
        Link at = byId.get(leafId);
        while (at != null && path.size() <= links.size()) {
            path.add(at.seq());
            at = at.parentId() == null ? null : byId.get(at.parentId());
        }
        Collections.reverse(path);
        return path;
    }

    /** The seqs of every descendant of {@code messageId}. */
    public static List<Long> descendants(List<Link> links, String messageId) {
        Map<String, List<Link>> children = new HashMap<>();
        links.forEach(link -> {
            if (link.parentId() != null) {
                children.computeIfAbsent(link.parentId(), k -> new ArrayList<>()).add(link);
            }
        });
        List<Long> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(messageId);
        while (!todo.isEmpty() && out.size() <= links.size()) {
            for (Link child : children.getOrDefault(todo.poll(), List.of())) {
                out.add(child.seq());
                todo.add(child.messageId());
            }
        }
        return out;
    }
}
