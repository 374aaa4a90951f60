package dev.keyline.platform.connector;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.platform.oauth.AuthForms;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A connector descriptor as the API shows it: what the connect form and ops tooling need, no values. */
public record ConnectorView(
        @Schema(required = true) String id,
        @Schema(required = true) String displayName,
        @Schema(required = true) String category,
        @Schema(required = true) String description,
        @Schema(required = true) List<String> setupHelp,
        @Schema(required = true) List<Field> fields,
        @Schema(required = true) List<Doc> docs,

        @Schema(
                required = true,
                type = SchemaType.ARRAY,
                implementation = CapabilityName.class,
                description = "What the connector can do")
        List<String> capabilities,

        @Schema(
                required = true,
                type = SchemaType.ARRAY,
                implementation = AuthKindName.class,
                description = "How an account of this connector is authorized, in order of preference")
        List<String> authKinds,

        @Schema(
                required = true,
                description = "The form of each auth kind, in the order of `auth_kinds`: what a person is asked for")
        List<AuthOption> authOptions,

        @Schema(
                required = true,
                nullable = true,
                description = "The connector's mark as a `data:image/svg+xml;base64,` URI, for an `<img>` in a"
                        + " provider picker; null when it has none. Checked when the connector loads: no scripts,"
                        + " event attributes or outside references, at most 16 KiB.")
        String logo) {

    /**
     * One auth kind's form: the connector's fields it asks for, then the fields the platform runs itself (a client id
     * and secret, a service-account key). {@code interactive}: a person consents at the provider in a browser
     * (authorization code), so only a connect session can link it.
     */
    public record AuthOption(
            @Schema(
                    required = true,
                    enumeration = {"fields", "oauth2_authorization_code", "oauth2_client_credentials", "jwt_bearer"})
            String kind,

            @Schema(required = true) boolean interactive,
            @Schema(required = true) List<OptionField> fields,

            @Schema(required = true, description = "The scopes the platform requests")
            List<String> scopes) {
        static AuthOption of(ConnectorDescriptor d, AuthKind kind) {
            return new AuthOption(
                    kind.type().wireName(),
                    kind.type() == AuthKind.Type.OAUTH2_AUTHORIZATION_CODE,
                    AuthForms.form(d, kind).stream()
                            .map(f -> new OptionField(Field.of(f.field()), f.required(), f.platform()))
                            .toList(),
                    kind.scopes());
        }
    }

    /** A field of an auth kind's form; {@code platform}: Keyline runs it (never handed to the connector). */
    public record OptionField(
            @Schema(required = true) Field field,
            @Schema(required = true) boolean required,
            @Schema(required = true) boolean platform) {}

    /** The wire names of {@link AuthKind.Type}, for the document only. */
    @Schema(
            name = "ConnectorAuthKind",
            type = SchemaType.STRING,
            enumeration = {"fields", "oauth2_authorization_code", "oauth2_client_credentials", "jwt_bearer"})
    static final class AuthKindName {
        private AuthKindName() {}
    }

    /** The wire names of {@link Capability}, for the document only: the view carries them as plain strings. */
    @Schema(
            name = "ConnectorCapability",
            type = SchemaType.STRING,
            enumeration = {"credential_validation", "users", "groups", "roles", "user_changes", "health_probe"})
    static final class CapabilityName {
        private CapabilityName() {}
    }

    /** {@code routing}: the value decides where requests go, so changing it needs the secret fields again. */
    public record Field(
            @Schema(required = true) String key,
            @Schema(required = true) String label,
            @Schema(required = true) String help,
            @Schema(required = true, nullable = true) String example,
            @Schema(required = true, nullable = true) String pattern,
            @Schema(required = true) boolean secret,

            @Schema(
                    required = true,
                    enumeration = {"url", "text", "secret"})
            String type,

            @Schema(required = true) boolean routing) {
        static Field of(CredentialField field) {
            return new Field(
                    field.key(),
                    field.label(),
                    field.help(),
                    field.example(),
                    field.pattern(),
                    field.secret(),
                    field.type().name().toLowerCase(Locale.ROOT),
                    field.routing());
        }
    }

    public record Doc(
            @Schema(required = true) String title,
            @Schema(required = true) String url) {}

    public static ConnectorView of(ConnectorDescriptor d) {
        return new ConnectorView(
                d.id(),
                d.displayName(),
                d.category(),
                d.description(),
                d.setupHelp(),
                d.fields().stream().map(Field::of).toList(),
                d.docs().stream()
                        .map(l -> new Doc(l.title(), l.url().toString()))
                        .toList(),
                d.capabilities().stream()
                        .sorted()
                        .map(Capability::name)
                        .map(n -> n.toLowerCase(Locale.ROOT))
                        .toList(),
                d.authKinds().stream().map(k -> k.type().wireName()).toList(),
                d.authKinds().stream().map(k -> AuthOption.of(d, k)).toList(),
                ConnectorLogos.dataUri(d));
    }
}
