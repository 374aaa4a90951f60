package dev.keyline.platform.iam;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.platform.account.AccountConnectors;
import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.CursorCodec;
import dev.keyline.platform.directory.IamDtos;
import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.directory.IamDtos.RoleDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import dev.keyline.platform.directory.IamIds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Reads a linked directory live through its connector, under the account's fault-tolerance guard. */
@ApplicationScoped
public class IamService {

    /** What a client asked of a user listing; null filters are unused. */
    public record UserListing(
            int pageSize, String next, String email, String username, StatusValue status, boolean raw) {}

    public record GroupListing(int pageSize, String next, String name, boolean includeMembers, boolean raw) {}

    public record RoleListing(int pageSize, String next, boolean includeAssignments, boolean raw) {}

    private final AccountConnectors connectors;
    private final AccountLookup accounts;
    private final UpstreamGuards guards;
    private final CursorCodec cursors;
    private final Clock clock;

    public IamService(
            AccountConnectors connectors, AccountLookup accounts, UpstreamGuards guards, CursorCodec cursors) {
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.guards = requireNonNull(guards, "guards is null");
        this.cursors = requireNonNull(cursors, "cursors is null");
        this.clock = Clock.systemUTC();
    }

    /**
     * The tenant's usable account: a 404 problem for an unknown or another tenant's id, a 409 for an unlinked
     * one. Loaded once per request (from a row read a moment ago, see {@link AccountLookup#requireRecentlyUsable})
     * and handed to the reads below, which trust it.
     */
    public LinkedAccount account(String tenantId, String accountId) {
        return accounts.requireRecentlyUsable(tenantId, accountId);
    }

    /**
     * As {@link #account}, from PostgreSQL now rather than a row read a moment ago: for a synced listing whose
     * fresh state query did not find the account usable, so that its 404 or 409 does not wait for a cached row
     * to expire.
     */
    public LinkedAccount freshAccount(String tenantId, String accountId) {
        return QuarkusTransaction.requiringNew().call(() -> accounts.requireUsable(tenantId, accountId));
    }

    public PageDto<UserDto> listUsers(String tenantId, LinkedAccount account, UserListing listing) {
        String accountId = account.id;
        String scope =
                CursorCodec.scope(tenantId, accountId, "users", listing.email(), listing.username(), listing.status());
        Page<User> page = withDirectory(tenantId, account, Capability.USERS, UserDirectory.class, () -> {
            String cursor = listing.next() == null ? null : cursors.decode(scope, listing.next());
            UserQuery query = UserQuery.builder()
                    .cursor(cursor)
                    .pageSize(listing.pageSize())
                    .email(listing.email())
                    .username(listing.username())
                    .status(listing.status())
                    .includeRaw(listing.raw())
                    .build();
            return directory -> directory.listUsers(query);
        });
        Instant now = clock.instant();
        return new PageDto<>(
                page.items().stream().map(user -> IamDtos.live(user, now)).toList(),
                page.next().map(next -> cursors.encode(scope, next)).orElse(null));
    }

    public UserDto getUser(String tenantId, LinkedAccount account, String id, boolean raw) {
        String remoteId = IamIds.userRemoteId(id).orElseThrow(() -> KeylineException.notFound("User " + id));
        Optional<User> user = withDirectory(
                tenantId,
                account,
                Capability.USERS,
                UserDirectory.class,
                () -> directory -> directory.getUser(remoteId, raw));
        return IamDtos.live(user.orElseThrow(() -> KeylineException.notFound("User " + id)), clock.instant());
    }

    public PageDto<GroupDto> listGroups(String tenantId, LinkedAccount account, GroupListing listing) {
        String accountId = account.id;
        String scope = CursorCodec.scope(tenantId, accountId, "groups", listing.name(), listing.includeMembers(), null);
        Page<Group> page = withDirectory(tenantId, account, Capability.GROUPS, GroupDirectory.class, () -> {
            String cursor = listing.next() == null ? null : cursors.decode(scope, listing.next());
            GroupQuery query = GroupQuery.builder()
                    .cursor(cursor)
                    .pageSize(listing.pageSize())
                    .name(listing.name())
                    .includeMembers(listing.includeMembers())
                    .includeRaw(listing.raw())
                    .build();
            return directory -> directory.listGroups(query);
        });
        return new PageDto<>(
                page.items().stream().map(IamDtos::live).toList(),
                page.next().map(next -> cursors.encode(scope, next)).orElse(null));
    }

    public GroupDto getGroup(String tenantId, LinkedAccount account, String id, boolean raw) {
        String remoteId = IamIds.groupRemoteId(id).orElseThrow(() -> KeylineException.notFound("Group " + id));
        Optional<Group> group = withDirectory(
                tenantId,
                account,
                Capability.GROUPS,
                GroupDirectory.class,
                () -> directory -> directory.getGroup(remoteId, raw));
        return IamDtos.live(group.orElseThrow(() -> KeylineException.notFound("Group " + id)));
    }

    public PageDto<RoleDto> listRoles(String tenantId, LinkedAccount account, RoleListing listing) {
        String scope = CursorCodec.scope(tenantId, account.id, "roles", listing.includeAssignments());
        Page<Role> page = withDirectory(tenantId, account, Capability.ROLES, RoleDirectory.class, () -> {
            String cursor = listing.next() == null ? null : cursors.decode(scope, listing.next());
            RoleQuery query = RoleQuery.builder()
                    .cursor(cursor)
                    .pageSize(listing.pageSize())
                    .includeAssignments(listing.includeAssignments())
                    .includeRaw(listing.raw())
                    .build();
            return directory -> directory.listRoles(query);
        });
        return new PageDto<>(
                page.items().stream()
                        .map(role -> IamDtos.role(role, listing.includeAssignments(), false))
                        .toList(),
                page.next().map(next -> cursors.encode(scope, next)).orElse(null));
    }

    public RoleDto getRole(String tenantId, LinkedAccount account, String id, boolean raw) {
        String remoteId = IamIds.roleRemoteId(id).orElseThrow(() -> KeylineException.notFound("Role " + id));
        Optional<Role> role = withDirectory(
                tenantId,
                account,
                Capability.ROLES,
                RoleDirectory.class,
                () -> directory -> directory.getRole(remoteId, raw));
        return IamDtos.live(role.orElseThrow(() -> KeylineException.notFound("Role " + id)));
    }

    /**
     * Takes the account's shared connector first (the caller already got its 404 or 409 from {@link #account}),
     * so a missing connector or credentials are reported before anything else is judged (a cursor, say); then
     * {@code prepare} checks the request and returns the read, which runs under the guard.
     */
    @SuppressWarnings("unchecked")
    private <D, R> R withDirectory(
            String tenantId,
            LinkedAccount account,
            Capability capability,
            Class<D> type,
            Supplier<Function<D, R>> prepare) {
        String accountId = account.id;
        try (AccountConnectors.Linked linked = connectors.openShared(tenantId, account)) {
            D directory = linked.connector().require(capability, type);
            Function<D, R> read = prepare.get();
            // The guard's type token only needs the erased class; the call's result is the read's.
            return (R) guards.call(accountId, account.provider, () -> read.apply(directory), Object.class);
        }
    }
}
