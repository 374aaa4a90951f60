package dev.keyline.connector.okta;

import dev.keyline.connector.spi.ConnectorException;
import java.util.Locale;
import java.util.Optional;

/**
 * The org authorization server's refusals of the platform's token request, in Okta's terms. Okta answers the client
 * credentials grant with RFC 6749 §5.2 errors; the description tells a wrong client id from a key Okta does not know.
 */
final class OktaTokenFailures {
    private OktaTokenFailures() {}

    static Optional<ConnectorException> explain(ConnectorException failure) {
        String error = failure.params().getOrDefault("error", "");
        String description =
                failure.params().getOrDefault("error_description", "").toLowerCase(Locale.ROOT);
        return Optional.ofNullable(
                switch (error) {
                    case "invalid_client" ->
                        description.contains("private_key_jwt")
                                ? diagnosis(
                                        failure,
                                        "okta.private_key_jwt_required",
                                        "client_id",
                                        "Okta takes client credentials only from apps that authenticate with a key: "
                                                + "in the app's General tab, set Client Authentication to Public key "
                                                + "/ Private key and add the public key of the key you give Keyline.")
                                : description.contains("signature") || description.contains("kid")
                                        ? diagnosis(
                                                failure,
                                                "okta.client_key_unknown",
                                                "private_key",
                                                "Okta did not accept the signature of Keyline's client assertion: add the "
                                                        + "public key of this private key to the service app's Client "
                                                        + "Credentials (Public key / Private key) in Okta, or enter the "
                                                        + "private key that belongs to the registered one.")
                                        : diagnosis(
                                                failure,
                                                "okta.client_unknown",
                                                "client_id",
                                                "Okta does not know this client ID in this org: copy the Client ID of the API "
                                                        + "Services app from its General tab, and check the Okta domain.");
                    case "invalid_scope" ->
                        diagnosis(
                                failure,
                                "okta.scopes_not_granted",
                                null,
                                "The service app has not been granted the scopes Keyline asks for: grant "
                                        + "okta.users.read, okta.groups.read and okta.roles.read in "
                                        + OktaConnectorFactory.SCOPES_TAB + ", then try again.");
                    case "unauthorized_client" ->
                        diagnosis(
                                failure,
                                "okta.client_credentials_not_allowed",
                                "client_id",
                                "This Okta app may not use the client credentials grant: use an API Services app "
                                        + "(or tick Client Credentials under the app's grant types) with Public key / "
                                        + "Private key client authentication.");
                    case "invalid_dpop_proof", "use_dpop_nonce" ->
                        diagnosis(
                                failure,
                                "okta.dpop_required",
                                null,
                                "The service app requires DPoP-bound tokens, which Keyline does not send: in the "
                                        + "app's General tab, turn off \"Require Demonstrating Proof of Possession "
                                        + "(DPoP) header in token requests\".");
                    default -> null;
                });
    }

    private static ConnectorException diagnosis(
            ConnectorException failure, String messageCode, String field, String message) {
        ConnectorException.Builder builder = ConnectorException.builder(failure.code(), message)
                .messageCode(messageCode)
                .cause(failure);
        failure.params().forEach(builder::param);
        if (field != null) {
            builder.field(field);
        }
        return builder.build();
    }
}
