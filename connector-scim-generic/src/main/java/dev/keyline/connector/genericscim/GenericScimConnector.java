package dev.keyline.connector.genericscim;

import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.SCIM_URL;
import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.scim.ScimBackedDirectory;
import dev.keyline.connector.scim.ScimClient;
import dev.keyline.connector.scim.ScimDirectory;
import dev.keyline.connector.scim.ScimHealth;
import dev.keyline.connector.scim.ScimListResponse;
import dev.keyline.connector.scim.ScimResourceType;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SCIM 2.0 service provider. Listing is {@link ScimDirectory}'s; this class adds the validation
 * diagnoses, which name the field to fix, and a health report from a one-user listing.
 */
final class GenericScimConnector implements Connector, CredentialValidator, ScimBackedDirectory, HealthProbe {

    private final URI base;
    private final ConnectorContext context;
    private final ScimClient client;
    private final ScimDirectory directory;

    GenericScimConnector(URI base, String bearerToken, ConnectorContext context) {
        this.base = requireNonNull(base, "base is null");
        this.context = requireNonNull(context, "context is null");
        this.client = new ScimClient(context.http(), base, bearerToken, context.clock());
        this.directory = new ScimDirectory(client, context.logger());
    }

    /** One request for a single user ({@code count=1}): cheap on any directory size. */
    @Override
    public Validation validate() {
        HttpResponse response;
        try {
            response = client.fetch(client.listUri(ScimResourceType.USERS, 1, 1), true);
        } catch (ConnectorException e) {
            throw network(e);
        }
        if (response.status() == 401 || response.status() == 403) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CREDENTIALS,
                    BEARER_TOKEN,
                    "The SCIM server at " + base.getHost() + " did not accept the token (status "
                            + response.status() + "): it is mistyped, expired or revoked, or it may not read "
                            + "users. Create a new token in the application and paste it here.");
        }
        if (response.status() == 404) {
            throw notScim("There is no SCIM /Users endpoint at " + base + ".", null);
        }
        ScimListResponse users;
        try {
            users = client.readList(response, ScimResourceType.USERS);
        } catch (ConnectorException e) {
            if (e.code() == ErrorCode.NOT_AN_API_ENDPOINT) {
                throw notScim(base + " answers, but not as a SCIM 2.0 API.", e);
            }
            throw e;
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("scim_base", base.toString());
        if (users.totalResults() != null) {
            facts.put("users", String.valueOf(users.totalResults()));
        }
        String count = users.totalResults() == null ? "" : " (" + users.totalResults() + " users)";
        return new Validation("Connected to the SCIM server at " + base.getHost() + count + ".", facts);
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

    private static ConnectorException notScim(String what, Throwable cause) {
        return ConnectorException.forField(
                ErrorCode.NOT_AN_API_ENDPOINT,
                SCIM_URL,
                what + " Enter the SCIM base URL, below which /Users and /Groups live; it usually ends in "
                        + "/scim/v2 or /scim (for example " + ScimUrl.EXAMPLE + ").",
                cause);
    }

    /** Adds the field, and a sentence on what to check, to what the transport reported. */
    private ConnectorException network(ConnectorException e) {
        String host = base.getHost();
        String message = switch (e.code()) {
            case HOST_NOT_FOUND -> "The host " + host + " could not be found. Check the SCIM URL for typos.";
            case TLS_ERROR ->
                "A secure connection to " + host + " could not be established: its certificate is not "
                        + "trusted or does not match the name.";
            case TIMEOUT -> host + " did not answer in time. Check that the URL is right, then try again.";
            case CONNECTION_FAILED ->
                host + " refused the connection. Check that the URL, including any port, is right.";
            default -> null;
        };
        if (message == null) {
            return e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.UPSTREAM_UNAVAILABLE
                    ? e
                    : e.withField(SCIM_URL);
        }
        return ConnectorException.forField(e.code(), SCIM_URL, message, e);
    }
}
