package dev.keyline.connector.okta;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.ErrorCode;
import java.util.Locale;
import java.util.Optional;

/**
 * The connector plugin {@code okta}: the users, groups, admin role assignments and sign-in facts of one Okta org,
 * read over the Management API ({@code https://<org>/api/v1/...}). Accounts are linked with an API token
 * ({@code Authorization: SSWS <token>}) or with an OAuth 2.0 API service app whose private-key JWT the platform
 * signs (client credentials at the org authorization server, {@code okta.*.read} scopes). Read-only.
 */
public final class OktaConnectorFactory implements ConnectorFactory {
    public static final String ID = "okta";
    public static final String OKTA_DOMAIN = "okta_domain";
    public static final String API_TOKEN = "api_token";
    public static final String READ_FACTORS = "read_factors";
    static final String TOKEN_URL = "https://{okta_domain}/oauth2/v1/token";
    static final String SCOPES_TAB = "the app's Okta API Scopes tab";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Okta")
            .logoSvgResource(OktaConnectorFactory.class, "logo.svg")
            .category("iam")
            .description("Reads the users, groups, admin role assignments and sign-in facts of an Okta org over its "
                    + "Management API. Read-only.")
            .setupHelp(
                    "Keyline reads users (deactivated ones too), groups with their members, admin role assignments "
                            + "and last sign-ins, and never changes anything. The Read-only Administrator role is "
                            + "enough for everything it reads.",
                    "API token: sign in to the Admin Console as an administrator who holds the Read-only "
                            + "Administrator role (a dedicated service user is best), open Security > API > Tokens, "
                            + "choose Create token and paste it here. The token acts with that administrator's "
                            + "permissions and stops working when the administrator is deactivated.",
                    "OAuth 2.0 service app (recommended): in Applications > Create App Integration, choose API "
                            + "Services; under Client Credentials choose Public key / Private key and add the public "
                            + "key of the key pair you give Keyline; in the Okta API Scopes tab grant "
                            + "okta.users.read, okta.groups.read and okta.roles.read; in the Admin roles tab assign "
                            + "Read-only Administrator. Enter the app's client ID and the private key here.")
            .fields(
                    CredentialField.builder(OKTA_DOMAIN)
                            .routing()
                            .label("Okta domain")
                            .help("Your org's host name, as in https://acme.okta.com (also .oktapreview.com, "
                                    + ".okta-emea.com or your custom domain). A pasted Admin Console URL such as "
                                    + "https://acme-admin.okta.com/admin/dashboard is trimmed to it.")
                            .example(OktaDomain.EXAMPLE)
                            .build(),
                    CredentialField.builder(API_TOKEN)
                            .secret()
                            .label("API token")
                            .help("Security > API > Tokens > Create token in the Admin Console, created by a "
                                    + "Read-only Administrator. Shown once by Okta.")
                            .example("00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd")
                            .build(),
                    CredentialField.builder(READ_FACTORS)
                            .label("Read MFA factors")
                            .help("yes to read each user's enrolled factors (one request per user, so a full sync "
                                    + "costs as many requests as there are users); no (the default) leaves MFA "
                                    + "unknown.")
                            .example("no")
                            .pattern("^(?i)(yes|no)?$")
                            .optional()
                            .build())
            .doc(
                    "Okta Management API: Users",
                    "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/")
            .doc("Okta: create an API token", "https://developer.okta.com/docs/guides/create-an-api-token/main/")
            .doc(
                    "Okta: implement OAuth for Okta with a service app",
                    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/")
            .doc("Okta rate limits", "https://developer.okta.com/docs/reference/rl-best-practices/")
            .capabilities(
                    Capability.CREDENTIAL_VALIDATION,
                    Capability.USERS,
                    Capability.GROUPS,
                    Capability.ROLES,
                    Capability.USER_CHANGES)
            .authKind(AuthKind.fields())
            .authKind(AuthKind.oauth2ClientCredentials(TOKEN_URL)
                    .scopes("okta.users.read", "okta.groups.read", "okta.roles.read")
                    .clientAuthentication(AuthKind.ClientAuthentication.PRIVATE_KEY_JWT)
                    .fields(OKTA_DOMAIN, READ_FACTORS)
                    .build())
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** The org's canonical host; {@code read_factors} as {@code yes} or {@code no}. No network access. */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        ConnectorConfig normalized =
                config.with(OKTA_DOMAIN, OktaDomain.normalize(config.require(OKTA_DOMAIN, "The Okta domain")));
        return normalized.with(READ_FACTORS, readFactors(config) ? "yes" : "no");
    }

    static boolean readFactors(ConnectorConfig config) {
        String value = config.find(READ_FACTORS).orElse("no").toLowerCase(Locale.ROOT);
        if (!value.equals("yes") && !value.equals("no")) {
            throw ConnectorException.builder(ErrorCode.INVALID_CONFIG, "Read MFA factors is yes or no.")
                    .messageCode("okta.read_factors_invalid")
                    .field(READ_FACTORS)
                    .build();
        }
        return value.equals("yes");
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        String domain = OktaDomain.normalize(config.require(OKTA_DOMAIN, "The Okta domain"));
        OktaApi.Credential credential = config.authorization()
                .map(OktaApi.Credential::oauth)
                .orElseGet(() -> OktaApi.Credential.apiToken(config.require(API_TOKEN, "The API token")));
        OktaApi api = new OktaApi(context.http(), domain, credential, context.clock());
        return new OktaConnector(api, readFactors(config), context.clock());
    }

    @Override
    public Optional<ConnectorException> explainTokenFailure(AuthKind kind, ConnectorException failure) {
        return OktaTokenFailures.explain(failure);
    }
}
