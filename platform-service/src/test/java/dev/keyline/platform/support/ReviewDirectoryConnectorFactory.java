package dev.keyline.platform.support;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A test-only provider ({@code review-test}) with everything an access review reads: users with privilege, MFA, last
 * login and type, groups with privilege marks, roles with assignments. Each account names a {@link Directory} held
 * here by {@code directory}, which a test fills and changes between syncs; the credential {@code token} must be
 * {@link #TOKEN}. Listings page by position; filters in a user query are honoured like a provider would.
 */
public class ReviewDirectoryConnectorFactory implements ConnectorFactory {
    public static final String ID = "review-test";
    public static final String TOKEN = "review-token";

    private static final Map<String, Directory> DIRECTORIES = new ConcurrentHashMap<>();

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Review Test")
            .description("An in-memory directory with roles, privilege, MFA and last login, for tests.")
            .setupHelp("Name a directory a test made.")
            .fields(
                    CredentialField.builder("directory")
                            .label("Directory")
                            .help("The name of a directory a test made.")
                            .build(),
                    CredentialField.builder("token")
                            .label("Token")
                            .help("The test token.")
                            .secret()
                            .build())
            .capabilities(
                    Capability.CREDENTIAL_VALIDATION,
                    Capability.USERS,
                    Capability.GROUPS,
                    Capability.ROLES,
                    Capability.USER_CHANGES)
            .build();

    /** A directory a test scripts; every list may be changed between reads. */
    public static final class Directory {
        public final List<User> users = new CopyOnWriteArrayList<>();
        public final List<Group> groups = new CopyOnWriteArrayList<>();
        public final List<Role> roles = new CopyOnWriteArrayList<>();
        /** How many reads each listing answered, for tests that count requests. */
        public final Map<String, Integer> reads = new ConcurrentHashMap<>();
        /** Whether the connector offers its change feed ({@link UserChangeFeed}); off unless a test turns it on. */
        public volatile boolean changeFeed;
        /** When set, reading roles fails as a grant without this permission does. */
        public volatile String rolesNeed;
        /** Makes the feed refuse every watermark, as a provider does once one is too old. */
        public volatile boolean watermarkExpired;

        private final AtomicLong version = new AtomicLong();
        private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
        private final Map<String, Long> removedAt = new ConcurrentHashMap<>();

        /** Adds or replaces a user, as a change the feed reports. */
        public synchronized void put(User user) {
            int at = -1;
            for (int i = 0; i < users.size(); i++) {
                if (users.get(i).remoteId().equals(user.remoteId())) {
                    at = i;
                }
            }
            if (at < 0) {
                users.add(user);
            } else {
                users.set(at, user);
            }
            removedAt.remove(user.remoteId());
            changedAt.put(user.remoteId(), version.incrementAndGet());
        }

        /** Deletes a user, as a removal the feed reports. */
        public synchronized void remove(String remoteId) {
            users.removeIf(u -> u.remoteId().equals(remoteId));
            changedAt.remove(remoteId);
            removedAt.put(remoteId, version.incrementAndGet());
        }

        synchronized UserChanges changes(String watermark, String cursor, int pageSize) {
            reads.merge("changes", 1, Integer::sum);
            if (watermarkExpired) {
                throw ConnectorException.builder(ErrorCode.UPSTREAM_ERROR, "The change token expired.")
                        .messageCode(UserChangeFeed.WATERMARK_EXPIRED)
                        .build();
            }
            long since = Long.parseLong(watermark);
            List<User> changed = users.stream()
                    .filter(u -> changedAt.getOrDefault(u.remoteId(), 0L) > since)
                    .toList();
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            int to = Math.min(changed.size(), from + pageSize);
            if (to < changed.size()) {
                return new UserChanges(changed.subList(from, to), List.of(), Integer.toString(to), null);
            }
            List<String> removed = removedAt.entrySet().stream()
                    .filter(e -> e.getValue() > since)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            return new UserChanges(changed.subList(from, to), removed, null, Long.toString(version.get()));
        }
    }

    /** A new, empty directory under this name, replacing any earlier one. */
    public static Directory create(String name) {
        Directory directory = new Directory();
        DIRECTORIES.put(name, directory);
        return directory;
    }

    /** The credentials that link an account to the named directory. */
    public static Map<String, String> credentials(String name) {
        return Map.of("directory", name, "token", TOKEN);
    }

    /** Links an account of the tenant to the named directory through the API (owner {@code org-<name>}); its id. */
    public static String link(TestApi.CreatedTenant tenant, String name) {
        return TestApi.as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "org-" + name,
                        "origin_owner_name",
                        "Org",
                        "provider",
                        ID,
                        "credentials",
                        credentials(name)))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        return new ReviewConnector(config.require("directory", "Directory"), config.require("token", "Token"));
    }

    private static final class ReviewConnector
            implements Connector, CredentialValidator, UserDirectory, GroupDirectory, RoleDirectory, UserChangeFeed {
        private final String name;
        private final String token;

        ReviewConnector(String name, String token) {
            this.name = name;
            this.token = token;
        }

        private Directory directory() {
            if (!TOKEN.equals(token)) {
                throw ConnectorException.forField(
                        ErrorCode.INVALID_CREDENTIALS, "token", "The test token was refused.");
            }
            Directory directory = DIRECTORIES.get(name);
            if (directory == null) {
                throw ConnectorException.forField(
                        ErrorCode.INVALID_CONFIG, "directory", "No test directory is named " + name + ".");
            }
            return directory;
        }

        @Override
        public <T> Optional<T> capability(Class<T> type) {
            Directory directory = DIRECTORIES.get(name);
            if (type == UserChangeFeed.class && (directory == null || !directory.changeFeed)) {
                return Optional.empty();
            }
            return Connector.super.capability(type);
        }

        @Override
        public String currentWatermark() {
            Directory directory = directory();
            directory.reads.merge("watermark", 1, Integer::sum);
            return Long.toString(directory.version.get());
        }

        @Override
        public UserChanges userChanges(String watermark, String cursor, int pageSize, boolean includeRaw) {
            return directory().changes(watermark, cursor, pageSize);
        }

        @Override
        public Validation validate() {
            Directory directory = directory();
            return new Validation(
                    "Connected to the " + name + " test directory (" + directory.users.size() + " users)", Map.of());
        }

        @Override
        public Page<User> listUsers(UserQuery query) {
            Predicate<User> wanted = u -> (query.email() == null
                            || (u.primaryEmailAddress() != null
                                    && u.primaryEmailAddress().equalsIgnoreCase(query.email())))
                    && (query.username() == null
                            || (u.username() != null && u.username().equalsIgnoreCase(query.username())))
                    && (query.status() == null || u.status().value() == query.status());
            return page(
                    "users",
                    directory().users.stream().filter(wanted).toList(),
                    query.cursor(),
                    query.pageSize(),
                    u -> query.includeRaw() ? u : u.withoutRaw());
        }

        @Override
        public Optional<User> getUser(String remoteId, boolean includeRaw) {
            return directory().users.stream()
                    .filter(u -> u.remoteId().equals(remoteId))
                    .findFirst();
        }

        @Override
        public Page<Group> listGroups(GroupQuery query) {
            return page(
                    "groups",
                    directory().groups.stream()
                            .filter(g -> query.name() == null
                                    || (g.name() != null
                                            && g.name()
                                                    .toLowerCase(Locale.ROOT)
                                                    .equals(query.name().toLowerCase(Locale.ROOT))))
                            .toList(),
                    query.cursor(),
                    query.pageSize(),
                    Function.identity());
        }

        @Override
        public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
            return directory().groups.stream()
                    .filter(g -> g.remoteId().equals(remoteId))
                    .findFirst();
        }

        @Override
        public Page<Role> listRoles(RoleQuery query) {
            String need = directory().rolesNeed;
            if (need != null) {
                throw ConnectorException.builder(
                                ErrorCode.INVALID_CREDENTIALS, "The test grant may not read roles: grant " + need + ".")
                        .param(RoleDirectory.MISSING_PERMISSION, need)
                        .build();
            }
            return page("roles", directory().roles, query.cursor(), query.pageSize(), Function.identity());
        }

        @Override
        public Optional<Role> getRole(String remoteId, boolean includeRaw) {
            return directory().roles.stream()
                    .filter(r -> r.remoteId().equals(remoteId))
                    .findFirst();
        }

        private <T> Page<T> page(String listing, List<T> all, String cursor, int size, Function<T, T> shape) {
            directory().reads.merge(listing, 1, Integer::sum);
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            List<T> items = new ArrayList<>();
            for (int i = from; i < Math.min(all.size(), from + size); i++) {
                items.add(shape.apply(all.get(i)));
            }
            return Page.of(items, from + size < all.size() ? Integer.toString(from + size) : null);
        }

        @Override
        public void close() {}
    }
}
