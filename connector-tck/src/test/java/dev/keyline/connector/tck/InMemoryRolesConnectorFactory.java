package dev.keyline.connector.tck;

import dev.keyline.connector.model.Role;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A roles-only connector reading an {@link ExpectedDirectory} held in memory, to prove the kit's roles section: the
 * correct one passes it, each {@link Flaw} must fail it. The directory is found by the {@code directory} key its
 * {@link Double} registered it under.
 */
public class InMemoryRolesConnectorFactory implements ConnectorFactory {
    static final String ID = "tck-in-memory-roles";

    /** Ways to get roles wrong. */
    enum Flaw {
        NONE,
        SKIPS_LAST_ROLE,
        NO_ASSIGNMENTS,
        FINDS_UNKNOWN_ROLE,
        DROPS_PRIVILEGE
    }

    private static final Map<String, ExpectedDirectory> DIRECTORIES = new ConcurrentHashMap<>();
    private static final AtomicInteger KEYS = new AtomicInteger();

    private final String id;
    private final Flaw flaw;

    public InMemoryRolesConnectorFactory() {
        this(ID, Flaw.NONE);
    }

    InMemoryRolesConnectorFactory(String id, Flaw flaw) {
        this.id = id;
        this.flaw = flaw;
    }

    static String idOf(Flaw flaw) {
        return flaw == Flaw.NONE
                ? ID
                : ID + "-" + flaw.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(
                id,
                "In-memory roles",
                "iam",
                "Roles held in memory, to test the conformance kit.",
                List.of("Nothing to enter: tests configure it."),
                List.of(CredentialField.secret("directory_key", "Directory key", "Which directory.", "dir-1")),
                List.of(new ConnectorDescriptor.DocLink(
                        "RFC 7644", URI.create("https://www.rfc-editor.org/rfc/rfc7644"))),
                EnumSet.of(Capability.ROLES));
    }

    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        return config;
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        ExpectedDirectory directory = DIRECTORIES.get(config.require("directory_key", "Directory key"));
        return new Roles(directory == null ? new ExpectedDirectory(List.of(), List.of()) : directory, flaw);
    }

    /** The kit's double for this connector: it only holds the directory, nothing goes over a network. */
    static final class Double implements UpstreamDouble {
        final String key = "dir-" + KEYS.incrementAndGet();

        Double(ExpectedDirectory directory) {
            DIRECTORIES.put(key, directory);
        }

        @Override
        public List<KitRequest> requests() {
            return List.of();
        }

        @Override
        public void clearRequests() {}

        @Override
        public Set<String> secrets() {
            return Set.of();
        }

        @Override
        public void rateLimitNext(Duration retryAfter) {}

        @Override
        public void serverErrorNext() {}

        @Override
        public void close() {
            DIRECTORIES.remove(key);
        }
    }

    private record Roles(ExpectedDirectory directory, Flaw flaw) implements Connector, RoleDirectory {

        private List<Role> all(boolean includeAssignments) {
            List<Role> roles = new ArrayList<>(directory.roles());
            if (flaw == Flaw.SKIPS_LAST_ROLE && !roles.isEmpty()) {
                roles.remove(roles.size() - 1);
            }
            return roles.stream().map(r -> shaped(r, includeAssignments)).toList();
        }

        private Role shaped(Role role, boolean includeAssignments) {
            Role.Builder builder = role.toBuilder();
            if (!includeAssignments || flaw == Flaw.NO_ASSIGNMENTS) {
                builder.members(null).groups(null);
            }
            if (flaw == Flaw.DROPS_PRIVILEGE) {
                builder.privileged(null);
            }
            return builder.build();
        }

        @Override
        public Page<Role> listRoles(RoleQuery query) {
            List<Role> roles = all(query.includeAssignments());
            int from = query.cursor() == null ? 0 : Integer.parseInt(query.cursor());
            int to = Math.min(roles.size(), from + query.pageSize());
            return Page.of(roles.subList(from, to), to < roles.size() ? String.valueOf(to) : null);
        }

        @Override
        public Optional<Role> getRole(String remoteId, boolean includeRaw) {
            Optional<Role> found = all(true).stream()
                    .filter(r -> r.remoteId().equals(remoteId))
                    .findFirst();
            if (found.isEmpty()
                    && flaw == Flaw.FINDS_UNKNOWN_ROLE
                    && !directory.roles().isEmpty()) {
                return Optional.of(directory.roles().get(0));
            }
            return found;
        }

        @Override
        public void close() {}
    }

    public static final class SkipsLastRole extends InMemoryRolesConnectorFactory {
        public SkipsLastRole() {
            super(idOf(Flaw.SKIPS_LAST_ROLE), Flaw.SKIPS_LAST_ROLE);
        }
    }

    public static final class NoAssignments extends InMemoryRolesConnectorFactory {
        public NoAssignments() {
            super(idOf(Flaw.NO_ASSIGNMENTS), Flaw.NO_ASSIGNMENTS);
        }
    }

    public static final class FindsUnknownRole extends InMemoryRolesConnectorFactory {
        public FindsUnknownRole() {
            super(idOf(Flaw.FINDS_UNKNOWN_ROLE), Flaw.FINDS_UNKNOWN_ROLE);
        }
    }

    public static final class DropsPrivilege extends InMemoryRolesConnectorFactory {
        public DropsPrivilege() {
            super(idOf(Flaw.DROPS_PRIVILEGE), Flaw.DROPS_PRIVILEGE);
        }
    }
}
