package dev.suite.workflow.nodes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Every node type the service knows: each {@link NodeType} bean, by its type name. */
@ApplicationScoped
public class NodeCatalog {

    private final Map<String, NodeType> types = new TreeMap<>();

    public NodeCatalog(Instance<NodeType> beans) {
        for (NodeType type : beans) {
            NodeType earlier = types.put(type.spec().type(), type);
            if (earlier != null) {
                throw new IllegalStateException("two node types named " + type.spec().type());
            }
        }
    }

    public NodeType find(String type) {
        return type == null ? null : types.get(type);
    }

    public Collection<NodeType> all() {
        return types.values();
    }
}
