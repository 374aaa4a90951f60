package dev.keyline.platform.connector;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operator endpoint: what this Keyline loaded and refused at start-up, with the jar, the version and the SPI version
 * each connector was built for. Tenants see only usable connectors and a summary of refusals; host paths and exact
 * reasons are for operators.
 */
@Tag(name = "connectors")
@Path(ApiVersion.PREFIX + "/operator/connectors")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class OperatorConnectorResource {

    @Inject
    ConnectorRegistry registry;

    /** Loaded connectors by id, then refused ones in the order found; one page, {@code next} always null. */
    public record OperatorConnectorList(
            @Schema(required = true) List<OperatorConnectorView> data,
            @Schema(required = true, nullable = true) String next) {
        public OperatorConnectorList {
            data = List.copyOf(data);
        }
    }

    public record OperatorConnectorView(
            @Schema(required = true, nullable = true, description = "Null for a plugin refused before it named one")
            String id,

            @Schema(
                    required = true,
                    enumeration = {"classpath", "plugin"})
            String source,

            @Schema(required = true, nullable = true, description = "The plugin jar's path on this host")
            String jar,

            @Schema(required = true, nullable = true, description = "Implementation-Version of the jar or package")
            String version,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The connector SPI version it was built for; null when its manifest's"
                            + " value is not a number")
            Integer spiVersion,

            @Schema(
                    required = true,
                    enumeration = {"loaded", "refused"})
            String status,

            // Inline rather than a reference to ConnectorRefusalCode: a nullable reference is emitted as a type
            // list with "object" in it, which the SDK generators cannot read.
            @Schema(
                    required = true,
                    nullable = true,
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
                    },
                    description = "Why it was refused, for refused ones")
            String code,

            @Schema(required = true, nullable = true, description = "Why it was refused")
            String reason) {

        static OperatorConnectorView of(ConnectorLoader.Loaded loaded) {
            return new OperatorConnectorView(
                    loaded.id(),
                    source(loaded.jar()),
                    jar(loaded.jar()),
                    loaded.version(),
                    loaded.spiVersion(),
                    "loaded",
                    null,
                    null);
        }

        static OperatorConnectorView of(ConnectorLoader.Refused refused) {
            return new OperatorConnectorView(
                    refused.id(),
                    source(refused.jar()),
                    jar(refused.jar()),
                    refused.version(),
                    refused.spiVersion(),
                    "refused",
                    refused.code(),
                    refused.reason());
        }

        private static String source(java.nio.file.Path jar) {
            return jar == null ? "classpath" : "plugin";
        }

        private static String jar(java.nio.file.Path jar) {
            return jar == null ? null : jar.toAbsolutePath().toString();
        }
    }

    @GET
    @Operation(
            operationId = "listOperatorConnectors",
            summary = "Every connector loaded or refused at start-up, with jar, versions and reason (operators only)")
    public OperatorConnectorList list() {
        List<OperatorConnectorView> all = new ArrayList<>();
        registry.loaded().forEach(l -> all.add(OperatorConnectorView.of(l)));
        registry.refused().forEach(r -> all.add(OperatorConnectorView.of(r)));
        return new OperatorConnectorList(all, null);
    }
}
