package dev.suite.commons.patch;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Tags the responses of {@link ETagged} methods with the representation's {@code ETag}, the one
 * {@link EntityTags#requireMatch} compares a write's {@code If-Match} with, and answers a GET
 * whose {@code If-None-Match} names it with 304 — front ends that poll a resource skip the body.
 */
@ETagged
@Provider
public class EntityTagFilter implements ContainerResponseFilter {

    private final ObjectMapper json;

    public EntityTagFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if ((status != 200 && status != 201) || response.getEntity() == null) {
            return;
        }
        String tag = EntityTags.of(json, response.getEntity());
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
        if (HttpMethod.GET.equals(request.getMethod())
                && EntityTags.noneMatchHits(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), tag)) {
            response.setStatus(Response.Status.NOT_MODIFIED.getStatusCode());
            response.setEntity(null);
        }
    }
}
