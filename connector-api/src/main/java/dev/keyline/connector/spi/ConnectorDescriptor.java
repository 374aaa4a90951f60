package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a connector is and asks for. It drives the connect UI and ops tooling the way provider metadata
 * drives an admin console. Make one with {@link #builder(String)}; the constructors are kept for plugins built
 * against SPI 1 and will not follow new components.
 *
 * @param id stable identifier, lower-case kebab-case; the factory's {@link ConnectorFactory#id()}
 * @param category the product area, {@code iam} for identity directories
 * @param setupHelp paragraphs explaining how to obtain the credentials, shown above the form
 * @param fields the credential fields, in form order
 * @param docs links to the provider's documentation
 * @param capabilities exactly the capability interfaces the connector implements: the one place they are declared
 *     (the conformance kit and the platform read them from here)
 * @param authKinds how accounts are authorized, in order of preference; {@link AuthKind#fields()} unless declared
 * @param logoSvg the connector's mark as SVG markup, shown in the connect UI's provider picker, or null for none.
 *     Keep it small and self-contained: the platform drops a logo (logging a warning, the connector still loads)
 *     that is not well-formed XML with an {@code <svg>} root, is over 16 KiB, or holds {@code <script>},
 *     {@code <foreignObject>}, an {@code on*} attribute or an {@code href} other than {@code #id}. Draw your own
 *     mark; do not ship a provider's trademarked logo without its permission.
 */
public record ConnectorDescriptor(
        String id,
        String displayName,
        String category,
        String description,
        List<String> setupHelp,
        List<CredentialField> fields,
        List<DocLink> docs,
        Set<Capability> capabilities,
        List<AuthKind> authKinds,
        String logoSvg) {

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
        authKinds = authKinds == null || authKinds.isEmpty() ? List.of(AuthKind.fields()) : List.copyOf(authKinds);
        // Snake case too (entra_id, google_workspace): an id with no hyphen can also prefix message codes.
        if (!id.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException(
                    "connector id must be lower-case letters, digits, '-' and '_', starting with a letter: " + id);
        }
        long distinct = fields.stream().map(CredentialField::key).distinct().count();
        if (distinct != fields.size()) {
            throw new IllegalArgumentException("duplicate field keys in " + id);
        }
        if (authKinds.stream().map(AuthKind::type).distinct().count() != authKinds.size()) {
            throw new IllegalArgumentException("duplicate auth kinds in " + id);
        }
        for (AuthKind kind : authKinds) {
            for (String key : kind.fieldKeys()) {
                CredentialField field = fields.stream()
                        .filter(f -> f.key().equals(key))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "the " + kind + " kind of " + id + " asks for `" + key + "`, which is not a field"));
                if (field.secret()) {
                    throw new IllegalArgumentException("the " + kind + " kind of " + id + " asks for secret field `"
                            + key + "`: secrets of OAuth kinds are run by the platform");
                }
            }
        }
    }

    /** The constructor of SPI 2 and 3, kept so plugins built against them still load; there is no logo. */
    public ConnectorDescriptor(
            String id,
            String displayName,
            String category,
            String description,
            List<String> setupHelp,
            List<CredentialField> fields,
            List<DocLink> docs,
            Set<Capability> capabilities,
            List<AuthKind> authKinds) {
        this(id, displayName, category, description, setupHelp, fields, docs, capabilities, authKinds, null);
    }

    /** The constructor of SPI 1, kept so plugins built against it still load; accounts are authorized by fields. */
    public ConnectorDescriptor(
            String id,
            String displayName,
            String category,
            String description,
            List<String> setupHelp,
            List<CredentialField> fields,
            List<DocLink> docs,
            Set<Capability> capabilities) {
        this(id, displayName, category, description, setupHelp, fields, docs, capabilities, List.of(), null);
    }

    /** A descriptor for the connector with this id (lower-case kebab-case, unique across the platform). */
    public static Builder builder(String id) {
        return new Builder(id);
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

    /** The declared kind of this type, or empty when the connector does not offer it. */
    public java.util.Optional<AuthKind> authKind(AuthKind.Type type) {
        return authKinds.stream().filter(k -> k.type() == type).findFirst();
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** Builds a {@link ConnectorDescriptor}; {@code displayName} and {@code description} are required. */
    public static final class Builder {
        private final String id;
        private String displayName;
        private String category = "iam";
        private String description;
        private final List<String> setupHelp = new ArrayList<>();
        private final List<CredentialField> fields = new ArrayList<>();
        private final List<DocLink> docs = new ArrayList<>();
        private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private final List<AuthKind> authKinds = new ArrayList<>();
        private String logoSvg;

        private Builder(String id) {
            this.id = requireNonNull(id, "id is null");
        }

        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /** The product area; {@code iam} unless set. */
        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Adds paragraphs of set-up help, shown above the form in this order. */
        public Builder setupHelp(String... paragraphs) {
            setupHelp.addAll(Arrays.asList(paragraphs));
            return this;
        }

        /** Adds credential fields, in form order. */
        public Builder fields(CredentialField... more) {
            fields.addAll(Arrays.asList(more));
            return this;
        }

        public Builder doc(String title, String url) {
            docs.add(new DocLink(title, URI.create(url)));
            return this;
        }

        /** The capabilities the connector implements; see {@link ConnectorDescriptor#capabilities()}. */
        public Builder capabilities(Capability... declared) {
            capabilities.addAll(Arrays.asList(declared));
            return this;
        }

        /** Adds an auth kind; without any, accounts are authorized by {@link AuthKind#fields()}. */
        public Builder authKind(AuthKind kind) {
            authKinds.add(requireNonNull(kind, "kind is null"));
            return this;
        }

        /** The connector's mark as SVG markup; see {@link ConnectorDescriptor#logoSvg()} for what is accepted. */
        public Builder logoSvg(String svg) {
            this.logoSvg = svg;
            return this;
        }

        /**
         * The connector's mark, read (as UTF-8) from a resource next to {@code anchor}: a path such as {@code
         * "logo.svg"} is relative to the anchor's package, {@code "/META-INF/keyline/logo.svg"} is absolute. Read
         * through the anchor's class loader, which for a plugin is the plugin's own.
         *
         * @throws IllegalArgumentException when there is no such resource (a packaging mistake, so it fails the
         *     connector's own tests rather than leaving the picker without a logo)
         */
        public Builder logoSvgResource(Class<?> anchor, String path) {
            requireNonNull(anchor, "anchor is null");
            requireNonNull(path, "path is null");
            try (InputStream in = anchor.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalArgumentException("no logo resource " + path + " next to " + anchor.getName());
                }
                this.logoSvg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read logo resource " + path, e);
            }
            return this;
        }

        public ConnectorDescriptor build() {
            if (displayName == null || displayName.isBlank()) {
                throw new IllegalArgumentException("connector " + id + " has no display name");
            }
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("connector " + id + " has no description");
            }
            return new ConnectorDescriptor(
                    id, displayName, category, description, setupHelp, fields, docs, capabilities, authKinds, logoSvg);
        }
    }
}
