package dev.keyline.connector.googleworkspace;

import static dev.keyline.connector.googleworkspace.GoogleWorkspaceConnectorFactory.CODE;
import static dev.keyline.connector.googleworkspace.GoogleWorkspaceConnectorFactory.lower;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorException;
import java.util.Optional;

/**
 * Google's token endpoint refusals, explained in Google Workspace terms. Google documents the answers of the JWT
 * bearer grant in "Using OAuth 2.0 for Server to Server Applications", section "Error codes"
 * (https://developers.google.com/identity/protocols/oauth2/service-account#error-codes): the error and its
 * description together name the cause, so both are read.
 */
final class TokenDiagnoses {
    /** The platform's field for the subject of a JWT bearer kind. */
    static final String SUBJECT = "subject";
    /** The platform's field for the uploaded key. */
    static final String KEY = "service_account_key";

    private TokenDiagnoses() {}

    static Optional<ConnectorException> explain(AuthKind kind, ConnectorException failure) {
        String error = failure.params().getOrDefault("error", "");
        String description = lower(failure.params().get("error_description"));
        if (kind.type() == AuthKind.Type.JWT_BEARER) {
            return jwtBearer(error, description, failure);
        }
        if (kind.type() == AuthKind.Type.OAUTH2_AUTHORIZATION_CODE && error.equals("admin_policy_enforced")) {
            return Optional.of(diagnosis(
                    failure,
                    "app_blocked",
                    null,
                    "The Google Workspace administrator's API controls block this app: in the Admin console, "
                            + "under Security > Access and data control > API controls, mark the app as trusted, "
                            + "then sign in again."));
        }
        return Optional.empty();
    }

    private static Optional<ConnectorException> jwtBearer(
            String error, String description, ConnectorException failure) {
        switch (error) {
            case "unauthorized_client" -> {
                return Optional.of(diagnosis(
                        failure,
                        "delegation_missing",
                        null,
                        "Google refused to let the service account act for the administrator: in the Admin console, "
                                + "under Security > Access and data control > API controls > Domain-wide "
                                + "delegation, authorise the service account's client ID (client_id in the key "
                                + "file) for these scopes: " + String.join(",", GoogleWorkspaceConnectorFactory.SCOPES)
                                + "."));
            }
            case "invalid_grant" -> {
                if (description.contains("invalid email or user id") || description.contains("not a valid email")) {
                    return Optional.of(diagnosis(
                            failure,
                            "subject_unknown",
                            SUBJECT,
                            "Google knows no user with the subject's address: enter the primary e-mail address "
                                    + "of an administrator of the Google Workspace account."));
                }
                if (description.contains("invalid jwt signature")) {
                    return Optional.of(diagnosis(
                            failure,
                            "key_invalid",
                            KEY,
                            "Google did not accept the key's signature: the key was deleted or disabled in the "
                                    + "Google Cloud console, or belongs to another service account. Create a new "
                                    + "JSON key for the service account and upload it."));
                }
                if (description.contains("short-lived") || description.contains("reasonable timeframe")) {
                    return Optional.of(diagnosis(
                            failure,
                            "clock_skew",
                            null,
                            "Google found the assertion's time out of range: the clock of the Keyline server is "
                                    + "off; ask its operator to synchronise it (NTP)."));
                }
                if (description.contains("account not found")) {
                    return Optional.of(diagnosis(
                            failure,
                            "service_account_gone",
                            KEY,
                            "Google knows no such service account: it was deleted. Create a service account and "
                                    + "a JSON key, authorise it for domain-wide delegation and upload the key."));
                }
                return Optional.empty();
            }
            case "invalid_client", "disabled_client" -> {
                return Optional.of(diagnosis(
                        failure,
                        "service_account_disabled",
                        KEY,
                        "Google refused the service account: it or its key is disabled or deleted in the Google "
                                + "Cloud console. Enable it, or create a new JSON key and upload it."));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Keeps the failure's code and parameters (the platform reads {@code error} from them). */
    private static ConnectorException diagnosis(
            ConnectorException failure, String reason, String field, String sentence) {
        ConnectorException.Builder builder = ConnectorException.builder(failure.code(), sentence)
                .messageCode(CODE + "." + reason)
                .field(field);
        failure.params().forEach(builder::param);
        return builder.build();
    }
}
