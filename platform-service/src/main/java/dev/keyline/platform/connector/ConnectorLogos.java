package dev.keyline.platform.connector;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.platform.base.SafeSvg;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Connector logos: checked once when a connector is loaded, shown as {@code data:} URIs. A logo that is not safe to
 * show ({@link SafeSvg}) or over 16 KiB is dropped with a warning naming the connector; the connector itself loads,
 * as a missing logo costs the picker a picture, not the customer a provider.
 */
final class ConnectorLogos {
    private static final Logger LOG = Logger.getLogger(ConnectorLogos.class);

    static final int MAX_BYTES = 16 * 1024;
    private static final String DATA_URI_PREFIX = "data:image/svg+xml;base64,";

    private ConnectorLogos() {}

    /** The descriptor, without its logo when the logo is refused. */
    static ConnectorDescriptor checked(ConnectorDescriptor d) {
        if (d.logoSvg() == null) {
            return d;
        }
        Optional<String> problem = SafeSvg.problem(d.logoSvg(), MAX_BYTES);
        if (problem.isEmpty()) {
            return d;
        }
        LOG.warnf("Connector '%s': its logo is dropped (the connector still loads): %s", d.id(), problem.get());
        return new ConnectorDescriptor(
                d.id(),
                d.displayName(),
                d.category(),
                d.description(),
                d.setupHelp(),
                d.fields(),
                d.docs(),
                d.capabilities(),
                d.authKinds(),
                null);
    }

    /** The logo as a {@code data:image/svg+xml;base64,} URI, or null when the connector has none. */
    static String dataUri(ConnectorDescriptor d) {
        return d.logoSvg() == null
                ? null
                : DATA_URI_PREFIX
                        + Base64.getEncoder().encodeToString(d.logoSvg().getBytes(StandardCharsets.UTF_8));
    }
}
