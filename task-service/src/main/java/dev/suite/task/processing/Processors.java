package dev.suite.task.processing;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every {@link TaskProcessor} bean, by task type. */
@ApplicationScoped
public class Processors {

    private final Map<String, TaskProcessor> byType = new TreeMap<>();

    public Processors(@All List<TaskProcessor> processors) {
        processors.forEach(p -> byType.put(p.type(), p));
    }

    public Optional<TaskProcessor> of(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Map<String, TaskProcessor> all() {
        return byType;
    }
}
