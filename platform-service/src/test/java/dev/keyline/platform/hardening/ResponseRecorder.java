package dev.keyline.platform.hardening;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.platform.problem.SecretShapes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Test-only: appends every API response the service sends, in every test of the run, to
 * {@link HygieneFiles#RESPONSES}, serialized as the client sees it, for the secret scan at the end of the run.
 */
public class ResponseRecorder {

    @Inject
    ObjectMapper mapper;

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        try {
            Object entity = response.getEntity();
            String body;
            if (entity == null) {
                body = "";
            } else if (entity instanceof String s) {
                body = s;
            } else if (entity instanceof byte[] bytes) {
                body = new String(bytes, StandardCharsets.UTF_8);
            } else if (!(entity instanceof jakarta.ws.rs.core.StreamingOutput
                    || entity instanceof java.io.InputStream
                    || entity.getClass().getName().contains("Multi"))) {
                try {
                    body = mapper.writeValueAsString(entity);
                } catch (com.fasterxml.jackson.databind.exc.InvalidDefinitionException e) {
                    body = null;
                }
            } else {
                body = null;
            }
            if (body == null) {
                // A streamed body (StreamingOutput, a stream): not readable here without consuming it.
                HygieneFiles.append(
                        HygieneFiles.RESPONSES,
                        "{\"streamed\":\"" + entity.getClass().getName() + "\"}");
                return;
            }
            ObjectNode line = ApiOperations.JSON.createObjectNode();
            line.put("method", request.getMethod());
            // The request's path is what the client sent (a test may paste a key into it on purpose); only the
            // response is under scrutiny.
            line.put("path", SecretShapes.redact(request.getUriInfo().getPath()));
            line.put("status", response.getStatus());
            line.put("body", body);
            response.getHeaders().forEach((name, values) -> line.put("header:" + name, String.valueOf(values)));
            HygieneFiles.append(HygieneFiles.RESPONSES, line.toString());
        } catch (Exception e) {
            // An unrecordable body must not change what the test under way sees; the scan notes the gap.
            HygieneFiles.append(
                    HygieneFiles.RESPONSES, "{\"unrecorded\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }
}
