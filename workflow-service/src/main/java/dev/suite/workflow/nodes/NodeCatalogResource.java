package dev.suite.workflow.nodes;

import dev.suite.commons.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Nodes", description = "The node catalog: what graphs can be built from.")
public class NodeCatalogResource {

    private final NodeCatalog catalog;

    public NodeCatalogResource(NodeCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "Every node type", description = "Inputs and outputs with their types, and the config's "
            + "JSON Schema (every node also takes timeout_ms, retries, retry_backoff_ms and on_error).")
    public List<NodeSpec> list() {
        return catalog.all().stream().map(NodeType::spec).toList();
    }

    @GET
    @Path("/{type}")
    @Operation(summary = "One node type")
    public NodeSpec get(@PathParam("type") String type) {
        NodeType found = catalog.find(type);
        if (found == null) {
            throw ProblemException.notFound("Node type '" + type + "'");
        }
        return found.spec();
    }
}
