package dev.keyline.platform.support;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only connector ({@code oauth-test}) authorized by every OAuth and service-account kind against an {@link
 * OAuthServerDouble} at {@code base_url}: validation reads {@code /api/me} with the platform's header, retrying once
 * with {@link Authorization#refreshAfterRejection} on a 401, as a real connector does.
 */
public class OAuthTestConnectorFactory implements ConnectorFactory {
    public static final String ID = "oauth-test";

    /** Validations run, so tests can tell a cached connector from a new one. */
    public static final AtomicInteger VALIDATIONS = new AtomicInteger();

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("OAuth Test")
            .description("A directory behind OAuth, for tests.")
            .setupHelp("Sign in at the test provider.")
            .fields(CredentialField.builder("base_url")
                    .url()
                    .label("Base URL")
                    .help("The test provider's base URL.")
                    .build())
            .capabilities(Capability.CREDENTIAL_VALIDATION)
            .authKind(AuthKind.oauth2AuthorizationCode("{base_url}/authorize", "{base_url}/token")
                    .scopes("directory.read", "offline_access")
                    .fields("base_url")
                    .build())
            .authKind(AuthKind.oauth2ClientCredentials("{base_url}/token")
                    .scopes("directory.read")
                    .fields("base_url")
                    .build())
            .authKind(AuthKind.jwtBearer("{base_url}/token")
                    .scopes("directory.read")
                    .subject(AuthKind.SubjectRule.OPTIONAL)
                    .fields("base_url")
                    .build())
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        Authorization authorization = config.authorization()
                .orElseThrow(() -> new ConnectorException(ErrorCode.INVALID_CONFIG, "This connector needs OAuth."));
        URI base = URI.create(config.require("base_url", "Base URL"));
        return new TestConnector(base, authorization, context);
    }

    /** Explains Microsoft's "secret expired" code the way a real connector's diagnosis would. */
    @Override
    public java.util.Optional<ConnectorException> explainTokenFailure(AuthKind kind, ConnectorException failure) {
        String codes = failure.params().getOrDefault("error_codes", "");
        if (!java.util.List.of(codes.split(",")).contains("7000222")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ConnectorException.builder(
                        failure.code(), "The client secret has expired: create a new one and enter it here.")
                .field("client_secret")
                .messageCode("oauth_test.secret_expired")
                .build());
    }

    /** Reads {@code path} of the protected API with the platform's header, retrying once after a 401. */
    static HttpResponse read(ConnectorContext context, Authorization authorization, URI uri) {
        String sent = authorization.header();
        HttpResponse response = context.http().send(HttpRequest.get(uri).header("Authorization", sent));
        if (response.status() == 401) {
            response = context.http()
                    .send(HttpRequest.get(uri).header("Authorization", authorization.refreshAfterRejection(sent)));
            if (response.status() == 401) {
                throw new ConnectorException(ErrorCode.INVALID_CREDENTIALS, "The provider refused the token twice.");
            }
        }
        return response;
    }

    private static final class TestConnector implements Connector, CredentialValidator {
        private final URI base;
        private final Authorization authorization;
        private final ConnectorContext context;

        TestConnector(URI base, Authorization authorization, ConnectorContext context) {
            this.base = base;
            this.authorization = authorization;
            this.context = context;
        }

        @Override
        public Validation validate() {
            VALIDATIONS.incrementAndGet();
            HttpResponse response = read(context, authorization, base.resolve("/api/me"));
            if (response.status() != 200) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_ERROR, "The test API answered " + response.status() + ".");
            }
            return new Validation(
                    "Connected to Test Org", Map.of("kind", authorization.kind().wireName()));
        }

        @Override
        public void close() {}
    }
}
