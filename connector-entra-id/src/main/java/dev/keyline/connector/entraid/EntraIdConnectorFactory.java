package dev.keyline.connector.entraid;

import static java.util.Objects.requireNonNull;

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
import dev.keyline.connector.spi.ErrorCode;
import java.util.Optional;

/**
 * The connector plugin for Microsoft Entra ID: the users, groups, directory roles, sign-in and MFA facts of one
 * tenant, read over Microsoft Graph v1.0 with an app registration's client credentials. The platform runs the token
 * requests at the tenant's Microsoft Entra token endpoint; this factory explains their AADSTS failures.
 *
 * <p>The hosts are Microsoft's real ones, chosen by the {@code cloud} field: {@link #normalize} derives the
 * {@code login_host} and {@code graph_host} fields the auth kind's templates need, so nobody types a host. Operators
 * who must reach Graph elsewhere (a proxy, a double) use the platform's egress host overrides.
 */
public final class EntraIdConnectorFactory implements ConnectorFactory {
    /** The connector id, as the API lists it. */
    public static final String ID = "entra_id";
    /** The prefix of this connector's message codes: the id. */
    public static final String CODE = ID;

    public static final String TENANT_ID = "tenant_id";
    public static final String CLOUD = "cloud";
    public static final String LOGIN_HOST = "login_host";
    public static final String GRAPH_HOST = "graph_host";
    static final String TOKEN_URL = "https://{login_host}/{tenant_id}/oauth2/v2.0/token";
    static final String SCOPE = "https://{graph_host}/.default";
    static final String EXAMPLE_TENANT = "contoso.onmicrosoft.com";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Microsoft Entra ID")
            .logoSvgResource(EntraIdConnectorFactory.class, "logo.svg")
            .category("iam")
            .description("Reads the users, groups, directory roles, last sign-ins and MFA registration of a "
                    + "Microsoft Entra ID tenant over Microsoft Graph. Read-only.")
            .setupHelp(
                    "Keyline reads one Microsoft Entra ID tenant through an app registration of your own and never "
                            + "changes anything. In the Microsoft Entra admin center, open App registrations, choose "
                            + "New registration (single tenant, no redirect URI) and copy the Application (client) "
                            + "ID and the Directory (tenant) ID from its Overview page.",
                    "Under API permissions, add the Microsoft Graph application permissions User.Read.All, "
                            + "GroupMember.Read.All and RoleManagement.Read.Directory, then choose Grant admin "
                            + "consent. Optional: AuditLog.Read.All adds last sign-in times and MFA registration "
                            + "(needs Microsoft Entra ID P1 or P2); without it those fields stay empty and the "
                            + "account's facts say what is missing.",
                    "Under Certificates & secrets, create a client secret and enter its Value (not its Secret ID) "
                            + "below. Secrets expire: create a new one before the old one does and update the "
                            + "account.",
                    "US Government (GCC High, DoD) and China (21Vianet) tenants: choose their cloud, and register "
                            + "the app in that cloud's admin center.")
            .fields(
                    CredentialField.builder(TENANT_ID)
                            .routing()
                            .label("Directory (tenant) ID")
                            .help("The tenant's ID (a GUID) or one of its verified domains, such as " + EXAMPLE_TENANT
                                    + ". A pasted sign-in or portal URL is trimmed to it.")
                            .example(EXAMPLE_TENANT)
                            .build(),
                    CredentialField.builder(CLOUD)
                            .routing()
                            .label("Cloud")
                            .help("global (leave blank for the worldwide cloud), us_gov for US Government L4 (GCC "
                                    + "High), us_gov_dod for US Government L5 (DoD), china for Microsoft 365 "
                                    + "operated by 21Vianet.")
                            .example("global")
                            .pattern(EntraCloud.PATTERN)
                            .optional()
                            .build(),
                    CredentialField.builder(LOGIN_HOST)
                            .routing()
                            .label("Sign-in host")
                            .help("Filled in from the cloud.")
                            .example(EntraCloud.GLOBAL.loginHost())
                            .derived()
                            .build(),
                    CredentialField.builder(GRAPH_HOST)
                            .routing()
                            .label("Microsoft Graph host")
                            .help("Filled in from the cloud.")
                            .example(EntraCloud.GLOBAL.graphHost())
                            .derived()
                            .build())
            .doc(
                    "Register an application with the Microsoft identity platform",
                    "https://learn.microsoft.com/entra/identity-platform/quickstart-register-app")
            .doc("Microsoft Graph permissions reference", "https://learn.microsoft.com/graph/permissions-reference")
            .doc("Microsoft Graph national cloud deployments", "https://learn.microsoft.com/graph/deployments")
            .doc("Microsoft Graph: list users", "https://learn.microsoft.com/graph/api/user-list")
            .capabilities(
                    Capability.CREDENTIAL_VALIDATION,
                    Capability.USERS,
                    Capability.GROUPS,
                    Capability.ROLES,
                    Capability.USER_CHANGES)
            .authKind(AuthKind.oauth2ClientCredentials(TOKEN_URL)
                    .scopes(SCOPE)
                    .clientAuthentication(AuthKind.ClientAuthentication.CLIENT_SECRET_POST)
                    .fields(TENANT_ID, CLOUD, LOGIN_HOST, GRAPH_HOST)
                    .build())
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Canonical values without network access: the tenant out of whatever was pasted, the cloud (blank means
     * global, or what a pasted host says), and the two hosts always derived from the cloud, so a typed host can
     * never send the client secret elsewhere.
     */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        EntraTenant.Parsed tenant = EntraTenant.parse(config.require(TENANT_ID, "The directory (tenant) ID"));
        EntraCloud cloud = config.find(CLOUD)
                .map(text -> EntraCloud.fromWire(text).orElseThrow(EntraIdConnectorFactory::invalidCloud))
                .or(tenant::cloud)
                .orElse(EntraCloud.GLOBAL);
        return config.with(TENANT_ID, tenant.tenant())
                .with(CLOUD, cloud.wire())
                .with(LOGIN_HOST, cloud.loginHost())
                .with(GRAPH_HOST, cloud.graphHost());
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        Authorization authorization = config.authorization()
                .orElseThrow(() -> ConnectorException.builder(
                                ErrorCode.INVALID_CONFIG,
                                "This connector is authorized with an app registration's client credentials: link "
                                        + "the account with its client ID and secret.")
                        .messageCode(CODE + ".oauth_required")
                        .build());
        String tenant = EntraTenant.parse(config.require(TENANT_ID, "The directory (tenant) ID"))
                .tenant();
        EntraCloud cloud = config.find(CLOUD)
                .map(text -> EntraCloud.fromWire(text).orElseThrow(EntraIdConnectorFactory::invalidCloud))
                .orElse(EntraCloud.GLOBAL);
        GraphApi api = new GraphApi(context.http(), cloud.graphHost(), tenant, authorization, context.clock());
        return new EntraIdConnector(api);
    }

    @Override
    public Optional<ConnectorException> explainTokenFailure(AuthKind kind, ConnectorException failure) {
        return TokenDiagnoses.explain(failure);
    }

    static ConnectorException invalidCloud() {
        return ConnectorException.builder(
                        ErrorCode.INVALID_CONFIG,
                        "Choose the cloud: global, us_gov (US Government L4), us_gov_dod (US Government L5, DoD) or "
                                + "china (21Vianet); leave it blank for the worldwide cloud.")
                .messageCode(CODE + ".cloud_invalid")
                .field(CLOUD)
                .build();
    }
}
