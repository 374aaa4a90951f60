package dev.keyline.platform.connector;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Tag(name = "connectors")
@Path(ApiVersion.PREFIX + "/connectors")
@RolesAllowed({Roles.TENANT, Roles.OPERATOR})
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    @Inject
    ConnectorRegistry registry;

    /** All connectors on one page: there are a handful, so {@code next} is always null (kept for one list shape). */
    public record ConnectorList(
            @Schema(required = true) List<ConnectorView> data,
            @Schema(required = true, nullable = true) String next) {
        public ConnectorList {
            data = List.copyOf(data);
        }
    }

    @GET
    @Operation(operationId = "listConnectors")
    public ConnectorList list() {
        return new ConnectorList(
                registry.descriptors().stream().map(ConnectorView::of).toList(), null);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getConnector")
    public ConnectorView get(@PathParam("id") String id) {
        return registry.findDescriptor(id)
                .map(ConnectorView::of)
                .orElseThrow(() -> KeylineException.notFound("Connector " + id));
    }
}
