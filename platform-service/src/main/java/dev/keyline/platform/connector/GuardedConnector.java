package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.platform.observe.UpstreamScope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A plugin's connector as the platform uses it: every method runs through {@link PluginCalls}, on the connector's own
 * threads under a deadline. It has exactly the capabilities of the connector it wraps, read once when it was made;
 * a capability interface this class does not know is not offered, as it could not be called under the guard.
 */
public final class GuardedConnector
        implements Connector,
                CredentialValidator,
                UserDirectory,
                GroupDirectory,
                RoleDirectory,
                UserChangeFeed,
                HealthProbe,
                PositionalPaging {
    private static final List<Class<?>> GUARDED = List.of(
            CredentialValidator.class,
            UserDirectory.class,
            GroupDirectory.class,
            RoleDirectory.class,
            UserChangeFeed.class,
            HealthProbe.class,
            PositionalPaging.class);

    private final String connectorId;
    private final Connector delegate;
    /** The delegate's capabilities by interface; a connector may answer them with other objects than itself. */
    private final Map<Class<?>, Object> capabilities;

    private final PluginCalls calls;
    private final Redactor redactor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GuardedConnector(
            String connectorId,
            Connector delegate,
            Map<Class<?>, Object> capabilities,
            PluginCalls calls,
            Redactor redactor) {
        this.connectorId = connectorId;
        this.delegate = delegate;
        this.capabilities = Map.copyOf(capabilities);
        this.calls = calls;
        this.redactor = redactor;
    }

    /** Wraps {@code delegate}, asking it for its capabilities: call on the plugin's thread, as that is plugin code. */
    static GuardedConnector of(String connectorId, Connector delegate, PluginCalls calls, Redactor redactor) {
        requireNonNull(delegate, "delegate is null");
        Map<Class<?>, Object> found = new java.util.HashMap<>();
        for (Class<?> type : GUARDED) {
            delegate.capability(type).ifPresent(c -> found.put(type, type.cast(c)));
        }
        return new GuardedConnector(
                requireNonNull(connectorId, "connectorId is null"),
                delegate,
                found,
                requireNonNull(calls, "calls is null"),
                requireNonNull(redactor, "redactor is null"));
    }

    @Override
    public <T> Optional<T> capability(Class<T> type) {
        if (type == Connector.class || type == GuardedConnector.class) {
            return Optional.of(type.cast(this));
        }
        return capabilities.containsKey(type) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** The connector's id, which every failure of its calls names. */
    public String connectorId() {
        return connectorId;
    }

    @Override
    public Validation validate() {
        CredentialValidator validator = the(CredentialValidator.class);
        return call("validate", calls.deadline(), validator::validate);
    }

    @Override
    public HealthReport probe() {
        HealthProbe probe = the(HealthProbe.class);
        return call("probe", calls.deadline(), probe::probe);
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        UserDirectory users = the(UserDirectory.class);
        return call("list_users", calls.readDeadline(), () -> users.listUsers(query));
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        UserDirectory users = the(UserDirectory.class);
        return call("get_user", calls.readDeadline(), () -> users.getUser(remoteId, includeRaw));
    }

    @Override
    public int streamUsers(int pageSize, boolean includeRaw, Consumer<Page<User>> sink) {
        UserDirectory users = the(UserDirectory.class);
        return calls.stream(
                connectorId,
                calls.readDeadline(),
                redactor,
                scoped("stream_users", pages -> users.streamUsers(pageSize, includeRaw, pages)),
                sink);
    }

    @Override
    public Page<Group> listGroups(GroupQuery query) {
        GroupDirectory groups = the(GroupDirectory.class);
        return call("list_groups", calls.readDeadline(), () -> groups.listGroups(query));
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        GroupDirectory groups = the(GroupDirectory.class);
        return call("get_group", calls.readDeadline(), () -> groups.getGroup(remoteId, includeRaw));
    }

    @Override
    public int streamGroups(int pageSize, boolean includeMembers, boolean includeRaw, Consumer<Page<Group>> sink) {
        GroupDirectory groups = the(GroupDirectory.class);
        return calls.stream(
                connectorId,
                calls.readDeadline(),
                redactor,
                scoped("stream_groups", pages -> groups.streamGroups(pageSize, includeMembers, includeRaw, pages)),
                sink);
    }

    @Override
    public Page<Role> listRoles(RoleQuery query) {
        RoleDirectory roles = the(RoleDirectory.class);
        return call("list_roles", calls.readDeadline(), () -> roles.listRoles(query));
    }

    @Override
    public Optional<Role> getRole(String remoteId, boolean includeRaw) {
        RoleDirectory roles = the(RoleDirectory.class);
        return call("get_role", calls.readDeadline(), () -> roles.getRole(remoteId, includeRaw));
    }

    @Override
    public int streamRoles(int pageSize, boolean includeAssignments, boolean includeRaw, Consumer<Page<Role>> sink) {
        RoleDirectory roles = the(RoleDirectory.class);
        return calls.stream(
                connectorId,
                calls.readDeadline(),
                redactor,
                scoped("stream_roles", pages -> roles.streamRoles(pageSize, includeAssignments, includeRaw, pages)),
                sink);
    }

    @Override
    public String currentWatermark() {
        UserChangeFeed feed = the(UserChangeFeed.class);
        return call("current_watermark", calls.readDeadline(), feed::currentWatermark);
    }

    @Override
    public UserChanges userChanges(String watermark, String cursor, int pageSize, boolean includeRaw) {
        UserChangeFeed feed = the(UserChangeFeed.class);
        return call(
                "user_changes", calls.readDeadline(), () -> feed.userChanges(watermark, cursor, pageSize, includeRaw));
    }

    @Override
    public Optional<String> cursorAfter(Capability listing, String cursor, int pageSize) {
        PositionalPaging paging = the(PositionalPaging.class);
        return call("cursor_after", calls.readDeadline(), () -> paging.cursorAfter(listing, cursor, pageSize));
    }

    @Override
    public boolean answers(Capability listing, String predicted, String actual, List<String> remoteIds) {
        PositionalPaging paging = the(PositionalPaging.class);
        return call("answers", calls.readDeadline(), () -> paging.answers(listing, predicted, actual, remoteIds));
    }

    /** Starts closing the plugin's connector and returns: a close that hangs holds one of its threads, not ours. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            calls.detach(connectorId, redactor, delegate::close);
        }
    }

    /** Runs {@code call} under the guard, its upstream requests counted as {@code operation} of this connector. */
    private <T> T call(String operation, Duration deadline, Callable<T> call) {
        UpstreamScope.Current scope = new UpstreamScope.Current(connectorId, operation);
        return calls.call(connectorId, deadline, redactor, () -> {
            try (UpstreamScope ignored = UpstreamScope.enter(scope)) {
                return call.call();
            }
        });
    }

    private <P> Function<Consumer<P>, Integer> scoped(String operation, Function<Consumer<P>, Integer> listing) {
        UpstreamScope.Current scope = new UpstreamScope.Current(connectorId, operation);
        return pages -> {
            try (UpstreamScope ignored = UpstreamScope.enter(scope)) {
                return listing.apply(pages);
            }
        };
    }

    /** The delegate's capability; only reached through {@link #capability}, which offers present ones alone. */
    private <T> T the(Class<T> type) {
        Object capability = capabilities.get(type);
        if (capability == null) {
            throw new UnsupportedOperationException(
                    "The connector '" + connectorId + "' has no " + type.getSimpleName());
        }
        return type.cast(capability);
    }
}
