package dev.keyline.platform.connector;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.CredentialField;
import java.util.List;
import java.util.Locale;

/** A connector descriptor as the API shows it: what the connect form and ops tooling need, no values. */
public record ConnectorView(
        String id,
        String displayName,
        String category,
        String description,
        List<String> setupHelp,
        List<Field> fields,
        List<Doc> docs,
        List<String> capabilities) {

    /** {@code routing}: the value decides where requests go, so changing it needs the secret fields again. */
    public record Field(
            String key,
            String label,
            String help,
            String example,
            String pattern,
            boolean secret,
            String type,
            boolean routing) {
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

    public record Doc(String title, String url) {}

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
                        .toList());
    }
}
