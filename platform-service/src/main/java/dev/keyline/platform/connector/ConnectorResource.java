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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Tag(name = "connectors")
@Path(ApiVersion.PREFIX + "/connectors")
@RolesAllowed({Roles.TENANT, Roles.OPERATOR})
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    @Inject
    ConnectorRegistry registry;

    /**
     * All usable connectors on one page: there are a handful, so {@code next} is always null (kept for one list
     * shape). {@code refused} names the plugins this Keyline would not load, so a tenant missing a provider learns
     * why; the details (paths, versions, the full reason) are the operator's ({@code GET /v1/operator/connectors}).
     */
    public record ConnectorList(
            @Schema(required = true) List<ConnectorView> data,
            @Schema(required = true, nullable = true) String next,

            @Schema(required = true, description = "Connector plugins installed but not loaded, with the reason")
            List<RefusedView> refused) {
        public ConnectorList {
            data = List.copyOf(data);
            refused = List.copyOf(refused);
        }
    }

    /** A refused plugin as a tenant sees it: the jar's file name and why, in words that name no host path or class. */
    public record RefusedView(
            @Schema(required = true, nullable = true, description = "The plugin jar's file name; null for a built-in")
            String jarName,

            @Schema(required = true, nullable = true, description = "The connector's id, when it got as far as one")
            String id,

            @Schema(required = true, implementation = RefusalCodeName.class)
            String code,

            @Schema(required = true) String reason) {
        static RefusedView of(ConnectorLoader.Refused refused) {
            return new RefusedView(refused.jarName(), refused.id(), refused.code(), summary(refused.code()));
        }
    }

    /** The wire names of the refusal codes, for the document only. */
    @Schema(
            name = "ConnectorRefusalCode",
            type = SchemaType.STRING,
            enumeration = {
                "spi_version_unsupported",
                "spi_method_missing",
                "class_missing",
                "abstract_method",
                "duplicate_id",
                "factory_failed",
                "no_factory",
                "invalid_descriptor"
            })
    static final class RefusalCodeName {
        private RefusalCodeName() {}
    }

    @GET
    @Operation(operationId = "listConnectors")
    public ConnectorList list() {
        return new ConnectorList(
                registry.descriptors().stream().map(ConnectorView::of).toList(),
                null,
                registry.refused().stream().map(RefusedView::of).toList());
    }

    /** One plain sentence per code; the operator endpoint has the exact reason. */
    static String summary(String code) {
        return switch (Refusal.Code.valueOf(code.toUpperCase(java.util.Locale.ROOT))) {
            case SPI_VERSION_UNSUPPORTED -> "It was built for a connector SPI version this Keyline does not run.";
            case SPI_METHOD_MISSING, ABSTRACT_METHOD -> "It was built against a different connector API.";
            case CLASS_MISSING -> "It needs a class that neither the plugin jar nor the connector API holds.";
            case DUPLICATE_ID -> "Another connector already has its id.";
            case FACTORY_FAILED -> "Its connector factory failed to start.";
            case NO_FACTORY -> "The jar holds no connector factory.";
            case INVALID_DESCRIPTOR -> "Its connector descriptor is not valid.";
        };
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
