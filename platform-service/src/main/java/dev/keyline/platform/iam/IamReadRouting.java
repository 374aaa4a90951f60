package dev.keyline.platform.iam;

import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.IamDtos.MetaDto;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.sync.MembershipSource;
import dev.keyline.platform.sync.SyncReadState;
import dev.keyline.platform.sync.SyncedReads;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Where each unified IAM read is answered from: the synced store or the provider, by the requested mode and the
 * account's last successful sync; and which thread answers it (the event loop when this replica holds the page).
 */
@ApplicationScoped
public class IamReadRouting {

    /** The {@code mode} a read asks for. */
    enum Mode {
        AUTO,
        LIVE,
        SYNCED
    }

    /** The response header that carries {@code meta.membership} on a live read of one user, which has no meta. */
    static final String MEMBERSHIP_HEADER = "Keyline-Membership";

    private final IamService service;
    private final LastSyncs lastSyncs;
    private final SyncReadState states;

    IamReadRouting(IamService service, LastSyncs lastSyncs, SyncReadState states) {
        this.service = service;
        this.lastSyncs = lastSyncs;
        this.states = states;
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
    <T> Uni<PageDto<T>> listing(
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
    <T> Function<Boolean, PageDto<T>> general(
            Mode requested,
            String tenantId,
            String account,
            boolean storeOnly,
            Function<Instant, PageDto<T>> fromStore,
            Function<LinkedAccount, PageDto<T>> fromProvider) {
        return general(requested, tenantId, account, storeOnly, false, fromStore, fromProvider);
    }

    /**
     * As above; {@code users} for a user listing, whose live pages say in {@code meta.membership} when the
     * account's last sync saw membership listed only on groups (so empty {@code groups} do not read as "none").
     */
    <T> Function<Boolean, PageDto<T>> general(
            Mode requested,
            String tenantId,
            String account,
            boolean storeOnly,
            boolean users,
            Function<Instant, PageDto<T>> fromStore,
            Function<LinkedAccount, PageDto<T>> fromProvider) {
        return afresh -> {
            LinkedAccount linked =
                    afresh ? service.freshAccount(tenantId, account) : service.account(tenantId, account);
            Optional<Instant> syncedAt = lastSyncs.lastSuccess(tenantId, linked.id);
            if (useStore(requested, syncedAt, storeOnly)) {
                return fromStore.apply(syncedAt.get());
            }
            PageDto<T> page = fromProvider.apply(linked);
            String membership = users && syncedAt.isPresent() ? membership(tenantId, linked.id) : null;
            return page.withMeta(new MetaDto("live", syncedAt.orElse(null), membership));
        };
    }

    /** A user read live, with the membership note its page would carry in {@code meta}, as a header. */
    <T> RestResponse<T> withMembership(T user, String tenantId, LinkedAccount linked) {
        String membership = membership(tenantId, linked.id);
        return membership == null
                ? RestResponse.ok(user)
                : RestResponse.ResponseBuilder.ok(user)
                        .header(MEMBERSHIP_HEADER, membership)
                        .build();
    }

    /** {@code on_groups_only} when the account's last sync saw membership only on groups, else null. */
    private String membership(String tenantId, String accountId) {
        return lastSyncs
                .membership(tenantId, accountId)
                .filter(MembershipSource.ON_GROUPS_ONLY::equals)
                .orElse(null);
    }

    /** A single record, from the store once the account has synced (unless live is asked for), else the provider. */
    <T> T one(
            Mode requested,
            String tenantId,
            String account,
            Supplier<T> fromStore,
            Function<LinkedAccount, T> fromProvider) {
        LinkedAccount linked = service.account(tenantId, account);
        if (useStore(requested, lastSync(requested, tenantId, linked), false)) {
            return fromStore.get();
        }
        return fromProvider.apply(linked);
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A single record carries no sync metadata, so a live read of one needs no sync state. */
    private Optional<Instant> lastSync(Mode mode, String tenantId, LinkedAccount account) {
        return mode == Mode.LIVE ? Optional.empty() : lastSyncs.lastSuccess(tenantId, account.id);
    }

    /** Synced data once the account has synced, unless live is asked for; filters only the store has need it. */
    private static boolean useStore(Mode mode, Optional<Instant> syncedAt, boolean storeOnlyFilter) {
        if (mode == Mode.LIVE) {
            if (storeOnlyFilter) {
                throw KeylineException.invalid(
                                FailureCode.CONFLICTING_PARAMETERS,
                                "`updated_after`, `include_deleted` and the access-review filters (`is_privileged`,"
                                        + " `mfa_enrolled`, `last_login_before`, `type`, `role_id`, `group_id`) work"
                                        + " on synced data only; leave out mode=live.")
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
}
