package dev.suite.task.tasks;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Documents the body of {@code /api/v1/process/*} as {@code ProcessRequest}: a task without its
 * {@code type}, which the route sets — derived from {@code TaskRequest}, so the two never drift.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProcessRequestDocument implements OASFilter {

    static final String NAME = "ProcessRequest";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents() == null ? null : api.getComponents().getSchemas();
        Schema task = schemas == null ? null : schemas.get("TaskRequest");
        if (task == null) {
            return;
        }
        Schema process = OASFactory.createSchema();
        process.setAll(task.getAll());
        process.setProperties(null);
        task.getProperties().forEach((name, property) -> {
            if (!name.equals("type")) {
                process.addProperty(name, property);
            }
        });
        List<String> required = task.getRequired() == null ? List.of()
                : task.getRequired().stream().filter(name -> !name.equals("type")).toList();
        process.setRequired(required.isEmpty() ? null : required);
        process.setDescription("A task without its type: the route sets it.");
        api.getComponents().addSchema(NAME, process);
    }
}
