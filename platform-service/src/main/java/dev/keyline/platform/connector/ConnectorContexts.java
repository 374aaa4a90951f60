package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.platform.egress.EgressTransport;
import dev.keyline.platform.egress.TenantEgress;
import dev.keyline.platform.reqlog.RecordingTransport;
import dev.keyline.platform.reqlog.RequestLog;
import dev.keyline.platform.reqlog.RequestLogSubject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Builds the {@link ConnectorContext} handed to connectors: the one shared {@link EgressTransport} under the
 * account's tenant's egress policy ({@link TenantEgress}), so every request a connector makes (validation, live
 * reads, sync) passes that policy and no other tenant's allowances and is recorded in the account's request log, and
 * a logger that redacts the account's own secret values.
 */
@ApplicationScoped
public class ConnectorContexts {

    /** A scheme ("https:", "ftp:", "http:host") or a scheme-relative "//host"; a bare "host.example:443" is not. */
    private static final Pattern SCHEME_OR_AUTHORITY = Pattern.compile("[A-Za-z][A-Za-z0-9+-]*:|//");

    @Inject
    EgressTransport transport;

    @Inject
    TenantEgress egress;

    @Inject
    RequestLog requestLog;

    /**
     * Refuses a URL field the egress policy would refuse, with {@code egress_denied} on that field, before the
     * connector sees it. The transport would refuse the request anyway; screening first gives the same answer
     * whatever a connector's own URL parsing makes of an odd spelling (which would otherwise surface as
     * {@code invalid_config}). Values without a scheme are left to the connector, which may complete them (the transport still checks
     * whatever it makes of them).
     */
    public void screenUrls(String tenantId, ConnectorDescriptor descriptor, ConnectorConfig connectorConfig) {
        requireNonNull(tenantId, "tenantId is null");
        for (CredentialField field : descriptor.fields()) {
            if (field.type() != CredentialField.Type.URL) {
                continue;
            }
            String value = connectorConfig.values().get(field.key());
            if (value == null || !SCHEME_OR_AUTHORITY.matcher(value.strip()).lookingAt()) {
                continue;
            }
            try {
                egress.policyFor(tenantId).destination(value.strip());
            } catch (ConnectorException refused) {
                throw refused.withField(field.key());
            }
        }
    }

    /** A context for one connector instance of the subject's tenant working on the given configuration. */
    public ConnectorContext contextFor(RequestLogSubject subject, String provider, ConnectorConfig connectorConfig) {
        requireNonNull(connectorConfig, "connectorConfig is null");
        return context(subject, ConnectorLogger.system(loggerName(provider), connectorConfig.secretValues()));
    }

    /**
     * As above for an account of an OAuth or service-account kind: the logger redacts {@code secrets}, which follow
     * the access tokens its authorization renews while the connector lives.
     */
    public ConnectorContext contextFor(
            RequestLogSubject subject, String provider, ConnectorConfig connectorConfig, LiveSecrets secrets) {
        requireNonNull(connectorConfig, "connectorConfig is null");
        return context(subject, secrets.logger(loggerName(provider)));
    }

    private ConnectorContext context(RequestLogSubject subject, ConnectorLogger logger) {
        String tenantId = requireNonNull(subject, "subject is null").tenantId();
        EgressTransport tenants = transport.withPolicy(() -> egress.policyFor(tenantId));
        return new ConnectorContext(new RecordingTransport(tenants, requestLog, subject), Clock.systemUTC(), logger);
    }

    private static String loggerName(String provider) {
        return "dev.keyline.connector." + requireNonNull(provider, "provider is null");
    }
}
