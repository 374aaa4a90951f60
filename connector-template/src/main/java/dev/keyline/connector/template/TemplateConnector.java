package dev.keyline.connector.template;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.scim.ScimBackedDirectory;
import dev.keyline.connector.scim.ScimClient;
import dev.keyline.connector.scim.ScimDirectory;
import dev.keyline.connector.scim.ScimListResponse;
import dev.keyline.connector.scim.ScimResourceType;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.util.Map;

/**
 * One configured connection. Listing is connector-scim's {@link ScimDirectory}; what a provider connector adds
 * is validation that says which field is wrong and how to fix it. All network access goes through
 * {@code context.http()}, the platform's transport, which applies the egress policy.
 */
final class TemplateConnector implements Connector, CredentialValidator, ScimBackedDirectory {
    private final URI base;
    private final ScimClient client;
    private final ScimDirectory directory;

    TemplateConnector(URI base, String bearerToken, ConnectorContext context) {
        this.base = requireNonNull(base, "base is null");
        this.client = new ScimClient(context.http(), base, bearerToken, context.clock());
        this.directory = new ScimDirectory(client, context.logger());
    }

    /** One cheap request ({@code count=1}); the kit fails a validation that lists everything. */
    @Override
    public Validation validate() {
        HttpResponse response;
        try {
            response = client.fetch(client.listUri(ScimResourceType.USERS, 1, 1), true);
        } catch (ConnectorException e) {
            throw e.code() == ErrorCode.RATE_LIMITED ? e : e.withField(TemplateConnectorFactory.SCIM_URL);
        }
        if (response.status() == 401 || response.status() == 403) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CREDENTIALS,
                    TemplateConnectorFactory.BEARER_TOKEN,
                    "The directory did not accept the token. Create a new one and paste it here.");
        }
        if (response.status() == 404) {
            throw ConnectorException.forField(
                    ErrorCode.NOT_AN_API_ENDPOINT,
                    TemplateConnectorFactory.SCIM_URL,
                    "There is no SCIM API at " + base + ". Check the SCIM base URL.");
        }
        ScimListResponse users = client.readList(response, ScimResourceType.USERS);
        String count = users.totalResults() == null ? "" : " (" + users.totalResults() + " users)";
        return new Validation("Connected to " + base.getHost() + count + ".", Map.of("scim_base", base.toString()));
    }

    @Override
    public ScimDirectory scimDirectory() {
        return directory;
    }

    /** Nothing to release: the transport belongs to the platform. */
    @Override
    public void close() {}
}
