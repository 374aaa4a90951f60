package dev.keyline.connector.template;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.scim.ScimBackedDirectory;
import dev.keyline.connector.scim.ScimClient;
import dev.keyline.connector.scim.ScimDirectory;
import dev.keyline.connector.scim.ScimListResponse;
import dev.keyline.connector.scim.ScimValidation;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.util.Map;

/**
 * One configured connection. Listing is connector-scim's {@link ScimDirectory}; validation is connector-scim's
 * {@link ScimValidation}, the rule every shipped SCIM connector follows. All network access goes through
 * {@code context.http()}, the platform's transport, which applies the egress policy.
 */
final class TemplateConnector implements Connector, CredentialValidator, ScimBackedDirectory {
    private final URI base;
    private final ScimDirectory directory;
    private final ScimValidation validation;

    TemplateConnector(URI base, String bearerToken, ConnectorContext context) {
        this.base = requireNonNull(base, "base is null");
        ScimClient client = new ScimClient(context.http(), base, bearerToken, context.clock());
        this.directory = new ScimDirectory(client, context.logger());
        // One cheap request (count=1), and each failure on the field to fix: a 401/403 on the token, a 404 or an
        // answer that is not SCIM on the URL, a network failure on the URL with a sentence saying what to check.
        // To say it in your provider's words, pass your own ScimValidation.Diagnoses (see OnePasswordConnector).
        this.validation = ScimValidation.standard(
                client,
                TemplateConnectorFactory.SCIM_URL,
                TemplateConnectorFactory.BEARER_TOKEN,
                TemplateConnectorFactory.EXAMPLE_URL);
    }

    @Override
    public Validation validate() {
        ScimListResponse users = validation.fetchOneUser();
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
