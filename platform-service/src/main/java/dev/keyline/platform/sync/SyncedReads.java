package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static java.util.Objects.requireNonNull;

import com.mongodb.client.MongoCollection;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.CursorCodec;
import dev.keyline.platform.directory.IamDtos;
import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.MetaDto;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import dev.keyline.platform.directory.IamIds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The unified IAM API served from the synced store: the same records and ids as a live read, plus Keyline's own
 * first/last-seen and deletion facts. Pages are keyed by remote id, so paging stays stable while a sync writes.
 */
@ApplicationScoped
public class SyncedReads {

    /** What every synced listing has, whatever it lists: paging, Keyline's change clock, deleted records, raw. */
    sealed interface Listing permits UserFilter, GroupFilter, SyncedRoleReads.RoleFilter {
        int pageSize();

        String next();

        Instant updatedAfter();

        boolean includeDeleted();

        boolean raw();
    }

    /** A user listing on synced data; null filters are unused. {@code updatedAfter} is Keyline's clock. */
    public record UserFilter(
            int pageSize,
            String next,
            String email,
            String username,
            StatusValue status,
            UserReviewFilter review,
            Instant updatedAfter,
            boolean includeDeleted,
            boolean raw)
            implements Listing {}

    public record GroupFilter(
            int pageSize,
            String next,
            String name,
            boolean includeMembers,
            Instant updatedAfter,
            boolean includeDeleted,
            boolean raw)
            implements Listing {}

    private final MongoStore store;
    private final SyncRunStore runs;
    private final AccountLookup accounts;
    private final CursorCodec cursors;
    private final SyncReadState states;
    private final SyncedReadCache cache;

    public SyncedReads(
            MongoStore store,
            SyncRunStore runs,
            AccountLookup accounts,
            CursorCodec cursors,
            SyncReadState states,
            SyncedReadCache cache) {
        this.store = requireNonNull(store, "store is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.cursors = requireNonNull(cursors, "cursors is null");
        this.states = requireNonNull(states, "states is null");
        this.cache = requireNonNull(cache, "cache is null");
    }

    /**
     * Judges access like a live read (404 for another tenant's account, 409 for an unlinked one), then says when
     * the account last synced successfully.
     */
    public Optional<Instant> lastSync(String tenantId, String accountId) {
        QuarkusTransaction.joiningExisting().call(() -> accounts.requireUsable(tenantId, accountId));
        return runs.lastSuccess(accountId);
    }

    public static MetaDto meta(String mode, Optional<Instant> syncedAt) {
        return new MetaDto(mode, syncedAt.orElse(null));
    }

    /** The 409 for a synced read of an account that never completed a sync. */
    public static KeylineException notSynced() {
        return KeylineException.conflict(
                FailureCode.NOT_SYNCED,
                "This account has not completed a sync yet, so there is no synced data. Read with mode=live, or"
                        + " start a sync with POST /accounts/{id}/syncs and retry when it succeeded.");
    }

    /** A user page as of the account's state read now; {@code syncedAt} dates it if the state does not. */
    public PageDto<UserDto> users(String tenantId, String accountId, Instant syncedAt, UserFilter f) {
        SyncReadState.State state = states.of(accountId);
        return users(tenantId, accountId, state, state.lastSuccess().orElse(syncedAt), f);
    }

    /** The user page of this state from this replica's page cache, if it holds it. Never blocks. */
    public Optional<PageDto<UserDto>> cachedUsers(
            String tenantId, String accountId, SyncReadState.State state, UserFilter f) {
        return cached(tenantId, accountId, state, usersScope(tenantId, accountId, f), f);
    }

    /**
     * The user page of the account's content in this state (read after the request arrived), from the page cache
     * or the store, dated {@code lastSuccess}: the state's, not a replica's memory (another replica may learn of a
     * sync seconds late), because a cached page carries it for as long as the version lasts.
     */
    public PageDto<UserDto> users(
            String tenantId, String accountId, SyncReadState.State state, Instant lastSuccess, UserFilter f) {
        List<Bson> narrowing = new ArrayList<>();
        if (f.email() != null) {
            narrowing.add(eq("emails_lc", RecordCodec.lower(f.email())));
        }
        if (f.username() != null) {
            narrowing.add(eq("username_lc", RecordCodec.lower(f.username())));
        }
        if (f.status() != null) {
            narrowing.add(eq("status", f.status().wireName()));
        }
        narrowing.addAll(f.review().narrowing());
        return stored(
                tenantId,
                accountId,
                state,
                lastSuccess,
                usersScope(tenantId, accountId, f),
                f,
                store::users,
                narrowing,
                docs -> docs.stream().map(doc -> user(doc, f.raw())).toList());
    }

    private static String usersScope(String tenantId, String accountId, UserFilter f) {
        return CursorCodec.scope(
                "synced",
                tenantId,
                accountId,
                "users",
                f.email(),
                f.username(),
                f.status(),
                f.review().scope(),
                f.updatedAfter(),
                f.includeDeleted());
    }

    /** A group page as of the account's state read now; {@code syncedAt} dates it if the state does not. */
    public PageDto<GroupDto> groups(String tenantId, String accountId, Instant syncedAt, GroupFilter f) {
        SyncReadState.State state = states.of(accountId);
        return groups(tenantId, accountId, state, state.lastSuccess().orElse(syncedAt), f);
    }

    /** The group page of this state from this replica's page cache, if it holds it. Never blocks. */
    public Optional<PageDto<GroupDto>> cachedGroups(
            String tenantId, String accountId, SyncReadState.State state, GroupFilter f) {
        return cached(tenantId, accountId, state, groupsScope(tenantId, accountId, f), f);
    }

    /** As {@link #users(String, String, SyncReadState.State, Instant, UserFilter)}, for groups. */
    public PageDto<GroupDto> groups(
            String tenantId, String accountId, SyncReadState.State state, Instant lastSuccess, GroupFilter f) {
        List<Bson> narrowing = f.name() == null ? List.of() : List.of(eq("name_lc", RecordCodec.lower(f.name())));
        return stored(
                tenantId,
                accountId,
                state,
                lastSuccess,
                groupsScope(tenantId, accountId, f),
                f,
                store::groups,
                narrowing,
                docs -> groups(tenantId, accountId, docs, f.includeMembers(), f.raw()));
    }

    private static String groupsScope(String tenantId, String accountId, GroupFilter f) {
        return CursorCodec.scope(
                "synced",
                tenantId,
                accountId,
                "groups",
                f.name(),
                f.includeMembers(),
                f.updatedAfter(),
                f.includeDeleted());
    }

    <T> Optional<PageDto<T>> cached(
            String tenantId, String accountId, SyncReadState.State state, String scope, Listing f) {
        return Optional.ofNullable(cache.cached(tenantId, accountId, state, query(scope, f)));
    }

    /**
     * A page of {@code records} in this state, from the page cache or the store: the account's records in the
     * listing's scope after its cursor, narrowed further by {@code narrowing}, in remote-id order.
     */
    <T> PageDto<T> stored(
            String tenantId,
            String accountId,
            SyncReadState.State state,
            Instant lastSuccess,
            String scope,
            Listing f,
            Supplier<MongoCollection<Document>> records,
            List<Bson> narrowing,
            Function<List<Document>, List<T>> toDtos) {
        return cache.page(tenantId, accountId, state, query(scope, f), f.raw(), () -> {
            List<Bson> filters = common(tenantId, accountId, scope, f.next(), f.updatedAfter(), f.includeDeleted());
            filters.addAll(narrowing);
            List<Document> docs = page(records.get().find(and(filters)), f.pageSize());
            List<T> data = toDtos.apply(docs.subList(0, Math.min(docs.size(), f.pageSize())));
            return new PageDto<>(data, next(scope, docs, f.pageSize()), new MetaDto("synced", lastSuccess));
        });
    }

    /** The page cache's key for a listing: its scope (filters), cursor, size and whether raw payloads are in. */
    private static String query(String scope, Listing f) {
        return scope + '\n' + f.next() + '\n' + f.pageSize() + '\n' + f.raw();
    }

    /** One user by Keyline id, deleted or not (a deleted one says so). */
    public UserDto user(String tenantId, String accountId, String id, boolean raw) {
        String remoteId = IamIds.userRemoteId(id).orElseThrow(() -> KeylineException.notFound("User " + id));
        Document doc = store.users().find(key(tenantId, accountId, remoteId)).first();
        if (doc == null) {
            throw KeylineException.notFound("User " + id);
        }
        return user(doc, raw);
    }

    public GroupDto group(String tenantId, String accountId, String id, boolean raw) {
        String remoteId = IamIds.groupRemoteId(id).orElseThrow(() -> KeylineException.notFound("Group " + id));
        Document doc = store.groups().find(key(tenantId, accountId, remoteId)).first();
        if (doc == null) {
            throw KeylineException.notFound("Group " + id);
        }
        return groups(tenantId, accountId, List.of(doc), true, raw).get(0);
    }

    /** Groups, their unnamed members named from the synced users with one lookup for them all. */
    private List<GroupDto> groups(
            String tenantId, String accountId, List<Document> docs, boolean includeMembers, boolean raw) {
        List<Group> groups = docs.stream().map(doc -> groupRecord(doc, raw)).toList();
        Map<String, String> names = includeMembers
                ? MemberNaming.lookup(
                        store,
                        tenantId,
                        accountId,
                        groups.stream().map(Group::members).toList())
                : Map.of();
        List<GroupDto> dtos = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Group group = groups.get(i);
            Group named =
                    group.members() == null ? group : group.withMembers(MemberNaming.named(group.members(), names));
            dtos.add(IamDtos.group(named, includeMembers, deleted(docs.get(i))));
        }
        return dtos;
    }

    List<Bson> common(
            String tenantId,
            String accountId,
            String scope,
            String next,
            Instant updatedAfter,
            boolean includeDeleted) {
        List<Bson> filters = new ArrayList<>();
        filters.add(eq("tenant_id", tenantId));
        filters.add(eq("account_id", accountId));
        if (next != null) {
            filters.add(gt("remote_id", cursors.decode(scope, next)));
        }
        if (!includeDeleted) {
            filters.add(eq("remote_was_deleted", false));
        }
        if (updatedAfter != null) {
            filters.add(gt("changed_at", Date.from(updatedAfter)));
        }
        return filters;
    }

    private static List<Document> page(com.mongodb.client.FindIterable<Document> find, int pageSize) {
        return find.sort(new Document("remote_id", 1)).limit(pageSize + 1).into(new ArrayList<>());
    }

    private String next(String scope, List<Document> docs, int pageSize) {
        return docs.size() > pageSize
                ? cursors.encode(scope, docs.get(pageSize - 1).getString("remote_id"))
                : null;
    }

    public static UserDto user(Document doc, boolean raw) {
        User user = RecordCodec.user(
                doc.getString("remote_id"),
                doc.get("record", Document.class),
                raw ? RecordCodec.raw(doc.getString("raw_json")) : null);
        return IamDtos.user(
                user,
                instant(doc, "first_seen_at"),
                instant(doc, "last_seen_at"),
                Boolean.TRUE.equals(doc.getBoolean("remote_was_deleted")),
                instant(doc, "deleted_at"));
    }

    /** A stored group as it was listed, members unnamed where the provider did not name them. */
    static GroupDto group(Document doc, boolean includeMembers, boolean raw) {
        return IamDtos.group(groupRecord(doc, raw), includeMembers, deleted(doc));
    }

    private static Group groupRecord(Document doc, boolean raw) {
        return RecordCodec.group(
                doc.getString("remote_id"),
                doc.get("record", Document.class),
                raw ? RecordCodec.raw(doc.getString("raw_json")) : null);
    }

    static boolean deleted(Document doc) {
        return Boolean.TRUE.equals(doc.getBoolean("remote_was_deleted"));
    }

    static Bson key(String tenantId, String accountId, String remoteId) {
        return eq("_id", MongoStore.docId(tenantId, accountId, remoteId));
    }

    private static Instant instant(Document doc, String field) {
        Date date = doc.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
