package dev.keyline.platform.oauth;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.AuthKind.ClientAuthentication;
import dev.keyline.connector.spi.AuthKind.SubjectRule;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.CredentialField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The form each auth kind asks a person for: the connector's own fields the kind lists, then the fields the platform
 * runs itself (a client id and secret, a private key, a subject), and how those platform fields map onto the
 * platform's entries in the stored credentials ({@link OAuthValues}).
 */
public final class AuthForms {
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    public static final String PRIVATE_KEY = "private_key";
    public static final String KEY_ID = "key_id";
    public static final String SERVICE_ACCOUNT_KEY = "service_account_key";
    public static final String SUBJECT = "subject";

    /** Where each platform form field is stored. */
    private static final Map<String, String> STORED = Map.of(
            CLIENT_ID, OAuthValues.CLIENT_ID,
            CLIENT_SECRET, OAuthValues.CLIENT_SECRET,
            PRIVATE_KEY, OAuthValues.PRIVATE_KEY,
            KEY_ID, OAuthValues.KEY_ID,
            SERVICE_ACCOUNT_KEY, OAuthValues.PRIVATE_KEY,
            SUBJECT, OAuthValues.SUBJECT);

    private AuthForms() {}

    /** A platform field and whether a person must fill it. */
    public record FormField(CredentialField field, boolean required, boolean platform) {}

    /** The form of {@code kind}, in order: the connector's fields, then the platform's. */
    public static List<FormField> form(ConnectorDescriptor descriptor, AuthKind kind) {
        List<FormField> out = new ArrayList<>();
        if (kind.type() == AuthKind.Type.FIELDS) {
            descriptor.fields().forEach(f -> connectorField(f).ifPresent(out::add));
            return out;
        }
        for (String key : kind.fieldKeys()) {
            descriptor.fields().stream()
                    .filter(f -> f.key().equals(key))
                    .findFirst()
                    .flatMap(AuthForms::connectorField)
                    .ifPresent(out::add);
        }
        switch (kind.type()) {
            case OAUTH2_CLIENT_CREDENTIALS -> {
                out.add(platform(
                        CredentialField.builder(CLIENT_ID)
                                .label("Client ID")
                                .help("The client (application) id of the app you registered at the provider.")
                                .build(),
                        true));
                if (kind.clientAuthentication() == ClientAuthentication.PRIVATE_KEY_JWT) {
                    out.add(platform(
                            privateKey("The app's private key (PKCS#8 PEM) whose public key you registered."), true));
                    out.add(platform(
                            CredentialField.builder(KEY_ID)
                                    .label("Key ID")
                                    .help(
                                            "The key id (kid) the provider shows for that public key, when it asks for one.")
                                    .build(),
                            false));
                } else {
                    out.add(platform(
                            CredentialField.builder(CLIENT_SECRET)
                                    .secret()
                                    .label("Client secret")
                                    .help("The app's client secret. Stored encrypted; never shown again.")
                                    .build(),
                            true));
                }
            }
            case JWT_BEARER -> {
                out.add(platform(
                        CredentialField.builder(SERVICE_ACCOUNT_KEY)
                                .secret()
                                .label("Service account key")
                                .help(
                                        "The service account's JSON key file, or its PKCS#8 PEM private key. Stored encrypted;"
                                                + " the key never leaves Keyline.")
                                .build(),
                        true));
                out.add(platform(
                        CredentialField.builder(CLIENT_ID)
                                .label("Issuer")
                                .help(
                                        "The service account's id or e-mail. Not needed with a JSON key file, which names it.")
                                .build(),
                        false));
                if (kind.subject() != SubjectRule.NONE) {
                    out.add(platform(
                            CredentialField.builder(SUBJECT)
                                    .label("Act as")
                                    .help("The user the service account acts for (for example an administrator's e-mail"
                                            + " address, with domain-wide delegation).")
                                    .build(),
                            kind.subject() == SubjectRule.REQUIRED));
                }
            }
            default -> {
                // The authorization code kind asks for the connector's fields only; consent does the rest.
            }
        }
        return out;
    }

    /** A connector's field as the form shows it; none for a field its normalize derives. */
    private static java.util.Optional<FormField> connectorField(CredentialField field) {
        return switch (field.fill()) {
            case REQUIRED -> java.util.Optional.of(new FormField(field, true, false));
            case OPTIONAL -> java.util.Optional.of(new FormField(field, false, false));
            case DERIVED -> java.util.Optional.empty();
        };
    }

    private static FormField platform(CredentialField field, boolean required) {
        return new FormField(field, required, true);
    }

    private static CredentialField privateKey(String help) {
        return CredentialField.builder(PRIVATE_KEY)
                .secret()
                .label("Private key")
                .help(help)
                .build();
    }

    /** The keys a person may send for this kind. */
    public static Set<String> keys(ConnectorDescriptor descriptor, AuthKind kind) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        form(descriptor, kind).forEach(f -> keys.add(f.field().key()));
        return keys;
    }

    /**
     * Splits what a person sent for a non-{@code fields} kind into the connector's values and the platform's stored
     * entries ({@code auth.*}, with {@link OAuthValues#KIND}).
     */
    public static Map<String, String> toStored(
            ConnectorDescriptor descriptor, AuthKind kind, Map<String, String> input) {
        Map<String, String> out = new TreeMap<>();
        Set<String> connectorKeys = Set.copyOf(kind.fieldKeys());
        input.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (connectorKeys.contains(k)) {
                out.put(k, v);
            } else if (STORED.containsKey(k)) {
                out.put(STORED.get(k), v);
            }
        });
        out.put(OAuthValues.KIND, kind.type().wireName());
        return out;
    }

    /** The secret values among a kind's stored entries, for redaction. */
    public static Set<String> secretValues(Map<String, String> stored) {
        Set<String> out = new java.util.HashSet<>();
        for (String key : List.of(
                OAuthValues.ACCESS_TOKEN,
                OAuthValues.REFRESH_TOKEN,
                OAuthValues.CLIENT_SECRET,
                OAuthValues.PRIVATE_KEY)) {
            String v = stored.get(key);
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }
}
