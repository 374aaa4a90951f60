package dev.keyline.platform.support;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.User;
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
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test-only directory ({@code oauth-dir-test}) behind client credentials at an {@link OAuthServerDouble}: every page
 * of users is a read of {@code /api/users} with the platform's header (retried once after a 401), so a sync shows how
 * the platform's token holds up across a listing. {@link #afterFirstPage} runs between the first and second page.
 * Each page logs the bare token it used, so tests can see the platform's log redaction follow renewals.
 */
public class OAuthDirectoryConnectorFactory implements ConnectorFactory {
    public static final String ID = "oauth-dir-test";
    public static final int PAGES = 3;

    /** Runs once the first page was read, for instance to expire the tokens mid-sync. */
    public static volatile Runnable afterFirstPage = () -> {};

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("OAuth Directory Test")
            .description("A paged directory behind client credentials, for tests.")
            .setupHelp("Register a client at the test provider.")
            .fields(CredentialField.builder("base_url")
                    .url()
                    .label("Base URL")
                    .help("The test provider's base URL.")
                    .build())
            .capabilities(Capability.CREDENTIAL_VALIDATION, Capability.USERS)
            .authKind(AuthKind.oauth2ClientCredentials("{base_url}/token")
                    .scopes("directory.read")
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
        return new DirectoryConnector(URI.create(config.require("base_url", "Base URL")), authorization, context);
    }

    private static final class DirectoryConnector implements Connector, CredentialValidator, UserDirectory {
        private final URI base;
        private final Authorization authorization;
        private final ConnectorContext context;

        DirectoryConnector(URI base, Authorization authorization, ConnectorContext context) {
            this.base = base;
            this.authorization = authorization;
            this.context = context;
        }

        @Override
        public Validation validate() {
            ok(OAuthTestConnectorFactory.read(context, authorization, base.resolve("/api/me")));
            return new Validation("Connected to Test Org", Map.of());
        }

        @Override
        public Page<User> listUsers(UserQuery query) {
            int page = query.cursor() == null ? 1 : Integer.parseInt(query.cursor());
            ok(OAuthTestConnectorFactory.read(context, authorization, base.resolve("/api/users?page=" + page)));
            // Careless on purpose: a connector that logs the bare token it used shows whether the platform's
            // redaction knows the token of the moment.
            String header = authorization.header();
            context.logger().info("Read page " + page + " with token " + header.substring(header.indexOf(' ') + 1));
            if (page == 1) {
                afterFirstPage.run();
            }
            List<User> users = List.of(
                    User.builder("p" + page + "-u1").username("ada" + page).build(),
                    User.builder("p" + page + "-u2").username("grace" + page).build());
            return Page.of(users, page < PAGES ? Integer.toString(page + 1) : null);
        }

        @Override
        public Optional<User> getUser(String remoteId, boolean includeRaw) {
            return Optional.empty();
        }

        private static void ok(HttpResponse response) {
            if (response.status() != 200) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_ERROR, "The test API answered " + response.status() + ".");
            }
        }

        @Override
        public void close() {}
    }
}
