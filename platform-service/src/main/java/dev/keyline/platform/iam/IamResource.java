package dev.keyline.platform.iam;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import dev.keyline.platform.sync.SyncReadState;
import dev.keyline.platform.sync.SyncedReads;
import dev.keyline.platform.tenant.CurrentTenant;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The unified IAM API: one normalized shape for every provider's users and groups. Parameters are taken as
 * text and parsed here so a malformed value gets a specific 400 instead of a bare 404.
 */
@Path("/iam")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("tenant")
public class IamResource {
    static final String ACCOUNT_HEADER = "x-account-id";
    private static final String CURSOR_DOC = "The `next` value of the previous page";
    private static final String NEXT_DOC =
            "Deprecated alias of `cursor`, kept for clients written before every list endpoint paged with"
                    + " `cursor`; giving both is refused";

    private final IamService service;
    private final CurrentTenant tenant;
    private final IamConfig config;
    private final SyncedReads synced;
    private final LastSyncs lastSyncs;
    private final SyncReadState states;

    public IamResource(
            IamService service,
            CurrentTenant tenant,
            IamConfig config,
            SyncedReads synced,
            LastSyncs lastSyncs,
            SyncReadState states) {
        this.service = service;
        this.states = states;
        this.synced = synced;
        this.lastSyncs = lastSyncs;
        this.tenant = tenant;
        this.config = config;
    }

    @GET
    @Path("/users")
    @Operation(summary = "List the users of a linked account")
    public Uni<PageDto<UserDto>> listUsers(
            @Parameter(description = "The linked account to read", required = true) @HeaderParam(ACCOUNT_HEADER)
                    String accountId,
            @QueryParam("page_size") String pageSize,
            @Parameter(description = CURSOR_DOC) @QueryParam("cursor") String cursor,
            @Parameter(description = NEXT_DOC, deprecated = true) @QueryParam("next") String nextAlias,
            @Parameter(description = "Exact e-mail address, case-insensitive") @QueryParam("email") String email,
            @Parameter(description = "Exact username, case-insensitive") @QueryParam("username") String username,
            @Parameter(description = "enabled, disabled, pending or unmapped_value") @QueryParam("status")
                    String status,
            @Parameter(description = "true to include the provider's payload") @QueryParam("raw") String raw,
            @Parameter(
                            description = "synced: from the store; live: from the provider. Default: synced once"
                                    + " the account has synced successfully, else live")
                    @QueryParam("mode")
                    String mode,
            @Parameter(description = "Records Keyline saw change after this instant (ISO-8601); synced data only")
                    @QueryParam("updated_after")
                    String updatedAfter,
            @Parameter(description = "true to include records deleted at the provider; synced data only")
                    @QueryParam("include_deleted")
                    String includeDeleted) {
        String next = cursor(cursor, nextAlias);
        Mode requested = mode(mode);
        String account = account(accountId);
        int size = pageSize(pageSize);
        StatusValue statusFilter = status(status);
        Instant after = instant("updated_after", updatedAfter);
        boolean deleted = flag("include_deleted", includeDeleted);
        boolean withRaw = flag("raw", raw);
        String tenantId = tenant.id();
        boolean storeOnly = after != null || deleted;
        SyncedReads.UserFilter filter = new SyncedReads.UserFilter(
                size,
                blankToNull(next),
                blankToNull(email),
                blankToNull(username),
                statusFilter,
                after,
                deleted,
                withRaw);
        return listing(
                requested,
                tenantId,
                account,
                state -> synced.cachedUsers(tenantId, account, state, filter),
                state -> synced.users(
                        tenantId, account, state, state.lastSuccess().orElseThrow(), filter),
                general(
                        requested,
                        tenantId,
                        account,
                        storeOnly,
                        syncedAt -> synced.users(tenantId, account, syncedAt, filter),
                        linked -> service.listUsers(
                                tenantId,
                                linked,
                                new IamService.UserListing(
                                        size,
                                        blankToNull(next),
                                        blankToNull(email),
                                        blankToNull(username),
                                        statusFilter,
                                        withRaw))));
    }

    @GET
    @Path("/users/{id}")
    @Operation(summary = "One user of a linked account")
    public UserDto getUser(
            @HeaderParam(ACCOUNT_HEADER) String accountId,
            @PathParam("id") String id,
            @QueryParam("raw") String raw,
            @QueryParam("mode") String mode) {
        Mode requested = mode(mode);
        String account = account(accountId);
        boolean withRaw = flag("raw", raw);
        LinkedAccount linked = service.account(tenant.id(), account);
        if (useStore(requested, lastSync(requested, linked), false)) {
            return synced.user(tenant.id(), account, id, withRaw);
        }
        return service.getUser(tenant.id(), linked, id, withRaw);
    }

    @GET
    @Path("/groups")
    @Operation(summary = "List the groups of a linked account, with their members")
    public Uni<PageDto<GroupDto>> listGroups(
            @HeaderParam(ACCOUNT_HEADER) String accountId,
            @QueryParam("page_size") String pageSize,
            @Parameter(description = CURSOR_DOC) @QueryParam("cursor") String cursor,
            @Parameter(description = NEXT_DOC, deprecated = true) @QueryParam("next") String nextAlias,
            @Parameter(description = "Exact group name, case-insensitive") @QueryParam("name") String name,
            @Parameter(description = "false to leave members out (faster on some providers)")
                    @QueryParam("include_members")
                    String includeMembers,
            @QueryParam("raw") String raw,
            @QueryParam("mode") String mode,
            @QueryParam("updated_after") String updatedAfter,
            @QueryParam("include_deleted") String includeDeleted) {
        String next = cursor(cursor, nextAlias);
        Mode requested = mode(mode);
        String account = account(accountId);
        int size = pageSize(pageSize);
        boolean members = includeMembers == null || flag("include_members", includeMembers);
        Instant after = instant("updated_after", updatedAfter);
        boolean deleted = flag("include_deleted", includeDeleted);
        boolean withRaw = flag("raw", raw);
        String tenantId = tenant.id();
        boolean storeOnly = after != null || deleted;
        SyncedReads.GroupFilter filter = new SyncedReads.GroupFilter(
                size, blankToNull(next), blankToNull(name), members, after, deleted, withRaw);
        return listing(
                requested,
                tenantId,
                account,
                state -> synced.cachedGroups(tenantId, account, state, filter),
                state -> synced.groups(
                        tenantId, account, state, state.lastSuccess().orElseThrow(), filter),
                general(
                        requested,
                        tenantId,
                        account,
                        storeOnly,
                        syncedAt -> synced.groups(tenantId, account, syncedAt, filter),
                        linked -> service.listGroups(
                                tenantId,
                                linked,
                                new IamService.GroupListing(
                                        size, blankToNull(next), blankToNull(name), members, withRaw))));
    }

    /**
     * A listing, answered on the event loop when this replica holds the page. A read that may come from the store
     * (any mode but live) first takes the account's state from a fresh query (shared with the concurrent reads of
     * the account, see {@link SyncReadState#fresh}) that also confirms the account is the tenant's and linked,
     * and that one state both chooses the store and dates and versions the page: a page the cache holds for it is
     * answered at once, a miss reads the store on a worker. Everything else (a live read; an account the query
     * does not find usable, which gets its 404 or 409 there from a fresh row: {@code general} is told so; one
     * that never synced) takes {@code general} on a worker: the account row, the last sync and the provider, as
     * a blocking read always did.
     */
    private <T> Uni<PageDto<T>> listing(
            Mode requested,
            String tenantId,
            String account,
            Function<SyncReadState.State, Optional<PageDto<T>>> cached,
            Function<SyncReadState.State, PageDto<T>> stored,
            Function<Boolean, PageDto<T>> general) {
        if (requested == Mode.LIVE) {
            return blocking(() -> general.apply(false));
        }
        return Uni.createFrom().completionStage(states.fresh(tenantId, account)).flatMap(read -> {
            if (read.isEmpty()) {
                return blocking(() -> general.apply(true));
            }
            if (read.get().lastSuccess().isEmpty()) {
                return blocking(() -> general.apply(false));
            }
            SyncReadState.State state = read.get();
            Optional<PageDto<T>> hit = cached.apply(state);
            return hit.isPresent() ? Uni.createFrom().item(hit.get()) : blocking(() -> stored.apply(state));
        });
    }

    /**
     * The blocking path of a listing, {@code afresh} when the state query did not find the account usable: one
     * account load serves the 404/409 check, the sync state and the shared connector's version; then the store
     * or the provider.
     */
    private <T> Function<Boolean, PageDto<T>> general(
            Mode requested,
            String tenantId,
            String account,
            boolean storeOnly,
            Function<Instant, PageDto<T>> fromStore,
            Function<LinkedAccount, PageDto<T>> fromProvider) {
        return afresh -> {
            LinkedAccount linked =
                    afresh ? service.freshAccount(tenantId, account) : service.account(tenantId, account);
            Optional<Instant> syncedAt = lastSyncs.lastSuccess(tenantId, linked.id);
            if (useStore(requested, syncedAt, storeOnly)) {
                return fromStore.apply(syncedAt.get());
            }
            return fromProvider.apply(linked).withMeta(SyncedReads.meta("live", syncedAt));
        };
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @GET
    @Path("/groups/{id}")
    @Operation(summary = "One group of a linked account, with its members")
    public GroupDto getGroup(
            @HeaderParam(ACCOUNT_HEADER) String accountId,
            @PathParam("id") String id,
            @QueryParam("raw") String raw,
            @QueryParam("mode") String mode) {
        Mode requested = mode(mode);
        String account = account(accountId);
        boolean withRaw = flag("raw", raw);
        LinkedAccount linked = service.account(tenant.id(), account);
        if (useStore(requested, lastSync(requested, linked), false)) {
            return synced.group(tenant.id(), account, id, withRaw);
        }
        return service.getGroup(tenant.id(), linked, id, withRaw);
    }

    /** A single record carries no sync metadata, so a live read of one needs no sync state. */
    private Optional<Instant> lastSync(Mode mode, LinkedAccount account) {
        return mode == Mode.LIVE ? Optional.empty() : lastSyncs.lastSuccess(tenant.id(), account.id);
    }

    private static String account(String accountId) {
        if (accountId == null || accountId.isBlank()) {
            throw KeylineException.invalid(
                            FailureCode.MISSING_ACCOUNT_ID,
                            "Name the linked account to read in the `x-account-id` header.")
                    .field(ACCOUNT_HEADER);
        }
        return accountId.strip();
    }

    private int pageSize(String value) {
        if (value == null || value.isBlank()) {
            return config.defaultPageSize();
        }
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 1 && size <= config.maxPageSize()) {
                return size;
            }
        } catch (NumberFormatException e) {
            // fall through to the problem below
        }
        throw KeylineException.invalid(
                        FailureCode.INVALID_PAGE_SIZE,
                        "`page_size` must be a whole number from 1 to " + config.maxPageSize() + ".")
                .field("page_size");
    }

    private static StatusValue status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return StatusValue.fromWireName(value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(StatusValue.values())
                    .map(StatusValue::wireName)
                    .collect(Collectors.joining(", "));
            throw KeylineException.invalid(FailureCode.INVALID_FILTER, "`status` must be one of: " + allowed + ".")
                    .field("status");
        }
    }

    /**
     * The page cursor: {@code cursor}, as on every list endpoint, or its deprecated alias {@code next}. Both at
     * once is refused rather than one silently winning.
     */
    static String cursor(String cursor, String nextAlias) {
        if (cursor != null && nextAlias != null) {
            throw KeylineException.invalid(
                            FailureCode.CONFLICTING_PARAMETERS,
                            "Give the page cursor as `cursor` only; `next` is its deprecated alias, not a second"
                                    + " cursor.")
                    .field("next");
        }
        return cursor != null ? cursor : nextAlias;
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default ->
                throw KeylineException.invalid(FailureCode.INVALID_PARAMETER, "`" + name + "` must be true or false.")
                        .field(name);
        };
    }

    private enum Mode {
        AUTO,
        LIVE,
        SYNCED
    }

    private static Mode mode(String mode) {
        if (mode == null || mode.isBlank()) {
            return Mode.AUTO;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "live" -> Mode.LIVE;
            case "synced" -> Mode.SYNCED;
            default ->
                throw KeylineException.invalid(FailureCode.INVALID_MODE, "`mode` must be `live` or `synced`.")
                        .field("mode");
        };
    }

    /** Synced data once the account has synced, unless live is asked for; filters only the store has need it. */
    private static boolean useStore(Mode mode, Optional<Instant> syncedAt, boolean storeOnlyFilter) {
        if (mode == Mode.LIVE) {
            if (storeOnlyFilter) {
                throw KeylineException.invalid(
                                FailureCode.INVALID_FILTER,
                                "`updated_after` and `include_deleted` work on synced data only; leave out mode=live.")
                        .field("mode");
            }
            return false;
        }
        if (syncedAt.isPresent()) {
            return true;
        }
        if (mode == Mode.SYNCED || storeOnlyFilter) {
            throw SyncedReads.notSynced();
        }
        return false;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_FILTER,
                            "`" + name + "` must be an ISO-8601 instant such as 2026-01-31T09:00:00Z.")
                    .field(name);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
