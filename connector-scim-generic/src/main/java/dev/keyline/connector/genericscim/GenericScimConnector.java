package dev.keyline.connector.genericscim;

import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.SCIM_URL;
import static java.util.Objects.requireNonNull;

import dev.keyline.connector.scim.ScimBackedDirectory;
import dev.keyline.connector.scim.ScimClient;
import dev.keyline.connector.scim.ScimCount;
import dev.keyline.connector.scim.ScimDirectory;
import dev.keyline.connector.scim.ScimHealth;
import dev.keyline.connector.scim.ScimListResponse;
import dev.keyline.connector.scim.ScimResourceType;
import dev.keyline.connector.scim.ScimValidation;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One SCIM 2.0 service provider. Listing is {@link ScimDirectory}'s and validation follows connector-scim's
 * {@link ScimValidation} with its standard sentences; this class adds the summary and a health report from a
 * one-user listing.
 */
final class GenericScimConnector implements Connector, CredentialValidator, ScimBackedDirectory, HealthProbe {

    private final URI base;
    private final ConnectorContext context;
    private final ScimClient client;
    private final ScimDirectory directory;
    private final ScimValidation validation;

    GenericScimConnector(URI base, String bearerToken, ConnectorContext context) {
        this.base = requireNonNull(base, "base is null");
        this.context = requireNonNull(context, "context is null");
        this.client = new ScimClient(context.http(), base, bearerToken, context.clock());
        this.directory = new ScimDirectory(client, context.logger());
        this.validation = ScimValidation.standard(client, SCIM_URL, BEARER_TOKEN, ScimUrl.EXAMPLE);
    }

    /** One request for a single user ({@code count=1}): cheap on any directory size. */
    @Override
    public Validation validate() {
        ScimListResponse users = validation.fetchOneUser();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("scim_base", base.toString());
        Optional<ScimCount> count = ScimValidation.userCount(users);
        count.ifPresent(c -> c.putFact(facts, "users"));
        String counted = count.map(c -> " (" + c.phrase("user", "users") + ")").orElse("");
        return new Validation("Connected to the SCIM server at " + base.getHost() + counted + ".", facts);
    }

    /**
     * A one-user listing: {@code HEALTHY} when it answers, {@code UNHEALTHY} when the server is temporarily
     * unavailable, {@code DEGRADED} when it throttles; other failures (a rejected token) are thrown.
     */
    @Override
    public HealthReport probe() {
        Instant now = context.clock().instant();
        try {
            client.list(ScimResourceType.USERS, 1, 1);
            return ScimHealth.healthy(now);
        } catch (ConnectorException e) {
            return ScimHealth.ofFailure(e, now);
        }
    }

    @Override
    public ScimDirectory scimDirectory() {
        return directory;
    }

    /** Holds no resources of its own: the transport belongs to the platform. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "GenericScimConnector[" + base + "]";
    }
}
