package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a connector is and asks for. It drives the connect UI and ops tooling the way provider metadata
 * drives an admin console.
 *
 * @param id stable identifier, equal to {@link ConnectorFactory#id()}
 * @param category the product area, {@code iam} for identity directories
 * @param setupHelp paragraphs explaining how to obtain the credentials, shown above the form
 * @param fields the credential fields, in form order
 * @param docs links to the provider's documentation
 * @param capabilities exactly the capability interfaces the connector implements
 */
public record ConnectorDescriptor(
        String id,
        String displayName,
        String category,
        String description,
        List<String> setupHelp,
        List<CredentialField> fields,
        List<DocLink> docs,
        Set<Capability> capabilities) {

    public record DocLink(String title, URI url) {
        public DocLink {
            requireNonNull(title, "title is null");
            requireNonNull(url, "url is null");
        }
    }

    public ConnectorDescriptor {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(category, "category is null");
        requireNonNull(description, "description is null");
        setupHelp = List.copyOf(setupHelp);
        fields = List.copyOf(fields);
        docs = List.copyOf(docs);
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("connector id must be lower-case kebab-case: " + id);
        }
        long distinct = fields.stream().map(CredentialField::key).distinct().count();
        if (distinct != fields.size()) {
            throw new IllegalArgumentException("duplicate field keys in " + id);
        }
    }

    /** The keys of the secret fields, which must be masked everywhere. */
    public Set<String> secretKeys() {
        return fields.stream()
                .filter(CredentialField::secret)
                .map(CredentialField::key)
                .collect(Collectors.toSet());
    }

    /** The keys of the routing fields, which decide where requests go (see {@link CredentialField#routing()}). */
    public Set<String> routingKeys() {
        return fields.stream()
                .filter(CredentialField::routing)
                .map(CredentialField::key)
                .collect(Collectors.toSet());
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }
}
