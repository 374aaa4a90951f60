package dev.keyline.connector.googleworkspace;

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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connector plugin {@code google_workspace}: the users, groups and admin roles of one Google Workspace customer,
 * read over the Admin SDK Directory API ({@code https://admin.googleapis.com/admin/directory/v1}). Accounts are
 * authorized by the platform: a service account with domain-wide delegation acting as an administrator (JWT bearer,
 * RFC 7523), or an administrator who signs in and consents (authorization code). The hosts are Google's real ones;
 * operators who need another (a recorded upstream, a double) rewrite them with the platform's egress host overrides.
 */
public final class GoogleWorkspaceConnectorFactory implements ConnectorFactory {
    /** The SPI's ids are kebab-case; message codes cannot hold a hyphen, so they use {@link #CODE}. */
    public static final String ID = "google_workspace";
    /** The namespace of this connector's message codes. */
    static final String CODE = "google_workspace";

    public static final String CUSTOMER_ID = "customer_id";
    /** Google's alias for "the customer of the administrator the token acts for". */
    public static final String MY_CUSTOMER = "my_customer";

    static final String TOKEN_URL = "https://oauth2.googleapis.com/token";
    static final String AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
    static final String SCOPE_USERS = "https://www.googleapis.com/auth/admin.directory.user.readonly";
    /** Covers groups.list and members.list (the discovery document lists it for both). */
    static final String SCOPE_GROUPS = "https://www.googleapis.com/auth/admin.directory.group.readonly";

    static final String SCOPE_ROLES = "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly";
    static final List<String> SCOPES = List.of(SCOPE_USERS, SCOPE_GROUPS, SCOPE_ROLES);

    /** Customer IDs hold a digit ({@code C01abc2de}); the word "Customer" pasted along with one must not match. */
    private static final String CUSTOMER_ID_SHAPE = "C(?=[0-9A-Za-z]*[0-9])[0-9A-Za-z]{4,20}";

    private static final Pattern CUSTOMER = Pattern.compile(CUSTOMER_ID_SHAPE);
    private static final Pattern CUSTOMER_IN_TEXT = Pattern.compile("\\b(" + CUSTOMER_ID_SHAPE + ")\\b");

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Google Workspace")
            .logoSvgResource(GoogleWorkspaceConnectorFactory.class, "logo.svg")
            .category("iam")
            .description("Reads the users, groups, admin roles and 2-step verification facts of a Google Workspace "
                    + "account over the Admin SDK Directory API. Read-only.")
            .setupHelp(
                    "Keyline reads users, groups, group members, admin roles and their assignments, and never changes "
                            + "anything. It asks for three read-only scopes: " + String.join(", ", SCOPES) + ".",
                    "Service account with domain-wide delegation (recommended): in the Google Cloud console, "
                            + "create a project, enable the Admin SDK API (APIs & Services > Library), create a "
                            + "service account and a JSON key for it, and note its client ID (the key file's "
                            + "client_id). In the Google Admin console, go to Security > Access and data control > "
                            + "API controls > Domain-wide delegation, add that client ID and paste the three scopes "
                            + "above, comma-separated. Upload the key file here and enter, as the subject, the e-mail "
                            + "address of an administrator Keyline acts as: a super administrator, or an "
                            + "administrator whose role may read users, groups and admin roles.",
                    "Sign in with Google (authorization code): an administrator signs in and consents to the three "
                            + "scopes. The tenant's OAuth client is a Web application client of a Google Cloud "
                            + "project with the Admin SDK API enabled, with the redirect URI "
                            + "<Keyline connect URL>/oauth/callback.")
            .fields(CredentialField.builder(CUSTOMER_ID)
                    .routing()
                    .label("Customer ID")
                    .help("Leave my_customer to read the account of the administrator Keyline acts as. A reseller "
                            + "enters the customer's ID instead, as shown in the Admin console under Account > "
                            + "Account settings (it starts with C, for example C01abc2de).")
                    .example(MY_CUSTOMER)
                    .pattern("^(my_customer|C[0-9A-Za-z]{4,20})$")
                    .optional()
                    .build())
            .doc(
                    "Admin SDK Directory API: users.list",
                    "https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/list")
            .doc(
                    "Authorize a service account with domain-wide delegation",
                    "https://developers.google.com/workspace/guides/create-credentials#optional_set_up_domain-wide_delegation_for_a_service_account")
            .doc(
                    "Using OAuth 2.0 for server to server applications (error codes)",
                    "https://developers.google.com/identity/protocols/oauth2/service-account#error-codes")
            .doc("Admin SDK: usage limits", "https://developers.google.com/admin-sdk/directory/v1/limits")
            .capabilities(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS, Capability.ROLES)
            .authKind(AuthKind.jwtBearer(TOKEN_URL)
                    .scopes(SCOPES.toArray(String[]::new))
                    .subject(AuthKind.SubjectRule.REQUIRED)
                    .fields(CUSTOMER_ID)
                    .build())
            .authKind(AuthKind.oauth2AuthorizationCode(AUTHORIZE_URL, TOKEN_URL)
                    .scopes(SCOPES.toArray(String[]::new))
                    .authorizeParam("access_type", "offline")
                    .authorizeParam("prompt", "consent")
                    .clientAuthentication(AuthKind.ClientAuthentication.CLIENT_SECRET_POST)
                    .fields(CUSTOMER_ID)
                    .build())
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Canonical values without network access: an empty customer ID is {@code my_customer}; a customer ID is found in
     * what people paste (a Directory API URL with {@code /customer/C…/} or {@code customer=C…}, or "Customer ID:
     * C…" copied from the Admin console).
     */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        return config.with(CUSTOMER_ID, customer(config.find(CUSTOMER_ID)));
    }

    static String customer(Optional<String> typed) {
        if (typed.isEmpty() || typed.get().equalsIgnoreCase(MY_CUSTOMER)) {
            return MY_CUSTOMER;
        }
        String text = typed.get().strip();
        if (CUSTOMER.matcher(text).matches()) {
            return text;
        }
        Matcher found = CUSTOMER_IN_TEXT.matcher(text);
        if (found.find() && !text.contains("@")) {
            return found.group(1);
        }
        throw ConnectorException.builder(
                        ErrorCode.INVALID_CONFIG,
                        "A customer ID starts with C, for example C01abc2de (Admin console > Account > Account "
                                + "settings); leave my_customer to read the administrator's own account"
                                + (text.contains(".") && !text.startsWith("http") ? ", not a domain name." : "."))
                .messageCode(CODE + ".customer_id_invalid")
                .field(CUSTOMER_ID)
                .build();
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        Authorization authorization = config.authorization()
                .orElseThrow(() -> ConnectorException.builder(
                                ErrorCode.INVALID_CONFIG,
                                "Google Workspace is linked with a service account or by signing in with Google, "
                                        + "not with typed credentials.")
                        .messageCode(CODE + ".oauth_required")
                        .build());
        String customer = customer(config.find(CUSTOMER_ID));
        return new GoogleWorkspaceConnector(new DirectoryApi(context.http(), customer, authorization, context.clock()));
    }

    @Override
    public Optional<ConnectorException> explainTokenFailure(AuthKind kind, ConnectorException failure) {
        return TokenDiagnoses.explain(kind, failure);
    }

    static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
