package dev.keyline.platform.hardening;

import dev.keyline.connector.model.Role;
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
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.Validation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A test-only provider ({@code failing-roles}) whose role reads fail as its {@code failure} field says
 * ({@code upstream_error}, {@code rate_limited} or {@code timeout}), for the contract recipes of the live role reads'
 * 502, 503 and 504: no SCIM provider has roles to fail with. Linking it succeeds.
 */
public class FailingRolesConnectorFactory implements ConnectorFactory {
    public static final String ID = "failing-roles";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Failing Roles Test")
            .description("Roles that fail to read, for tests.")
            .setupHelp("Name the failure.")
            .fields(CredentialField.builder("failure")
                    .label("Failure")
                    .help("upstream_error, rate_limited or timeout.")
                    .build())
            .capabilities(Capability.CREDENTIAL_VALIDATION, Capability.ROLES)
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        return new Failing(config.require("failure", "Failure"));
    }

    private record Failing(String kind) implements Connector, CredentialValidator, RoleDirectory {
        @Override
        public Validation validate() {
            return new Validation("Connected to a test provider whose roles fail (" + kind + ")", Map.of());
        }

        @Override
        public Page<Role> listRoles(RoleQuery query) {
            throw failure();
        }

        @Override
        public Optional<Role> getRole(String remoteId, boolean includeRaw) {
            throw failure();
        }

        private ConnectorException failure() {
            return switch (kind) {
                case "rate_limited" -> ConnectorException.rateLimited(Duration.ofSeconds(60), "Throttled, as asked.");
                case "timeout" -> new ConnectorException(ErrorCode.TIMEOUT, "No answer in time, as asked.");
                default -> new ConnectorException(ErrorCode.UPSTREAM_ERROR, "An error, as asked.");
            };
        }

        @Override
        public void close() {}
    }
}
