package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;
import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.Role;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.CursorCodec;
import dev.keyline.platform.directory.IamDtos;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.directory.IamDtos.RoleDto;
import dev.keyline.platform.directory.IamIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Roles served from the synced store, paged, cached and dated exactly as {@link SyncedReads} serves users and
 * groups; assigned users the provider did not name are named from the synced users.
 */
@ApplicationScoped
public class SyncedRoleReads {

    /** A role listing on synced data. */
    public record RoleFilter(
            int pageSize,
            String next,
            boolean includeAssignments,
            Instant updatedAfter,
            boolean includeDeleted,
            boolean raw)
            implements SyncedReads.Listing {}

    private final MongoStore store;
    private final SyncedReads reads;
    private final SyncReadState states;

    public SyncedRoleReads(MongoStore store, SyncedReads reads, SyncReadState states) {
        this.store = requireNonNull(store, "store is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.states = requireNonNull(states, "states is null");
    }

    /** A role page as of the account's state read now; {@code syncedAt} dates it if the state does not. */
    public PageDto<RoleDto> roles(String tenantId, String accountId, Instant syncedAt, RoleFilter f) {
        SyncReadState.State state = states.of(accountId);
        return roles(tenantId, accountId, state, state.lastSuccess().orElse(syncedAt), f);
    }

    /** The role page of this state from this replica's page cache, if it holds it. Never blocks. */
    public Optional<PageDto<RoleDto>> cachedRoles(
            String tenantId, String accountId, SyncReadState.State state, RoleFilter f) {
        return reads.cached(tenantId, accountId, state, scope(tenantId, accountId, f), f);
    }

    public PageDto<RoleDto> roles(
            String tenantId, String accountId, SyncReadState.State state, Instant lastSuccess, RoleFilter f) {
        List<Bson> narrowing = List.of();
        return reads.stored(
                tenantId,
                accountId,
                state,
                lastSuccess,
                scope(tenantId, accountId, f),
                f,
                store::roles,
                narrowing,
                docs -> dtos(tenantId, accountId, docs, f.includeAssignments(), f.raw()));
    }

    /** One role by Keyline id, deleted or not (a deleted one says so), with its assignments. */
    public RoleDto role(String tenantId, String accountId, String id, boolean raw) {
        String remoteId = IamIds.roleRemoteId(id).orElseThrow(() -> KeylineException.notFound("Role " + id));
        Document doc = store.roles()
                .find(eq("_id", MongoStore.docId(tenantId, accountId, remoteId)))
                .first();
        if (doc == null) {
            throw KeylineException.notFound("Role " + id);
        }
        return dtos(tenantId, accountId, List.of(doc), true, raw).get(0);
    }

    private static String scope(String tenantId, String accountId, RoleFilter f) {
        return CursorCodec.scope(
                "synced", tenantId, accountId, "roles", f.includeAssignments(), f.updatedAfter(), f.includeDeleted());
    }

    private List<RoleDto> dtos(
            String tenantId, String accountId, List<Document> docs, boolean includeAssignments, boolean raw) {
        List<Role> roles = docs.stream()
                .map(doc -> RecordCodec.role(
                        doc.getString("remote_id"),
                        doc.get("record", Document.class),
                        raw ? RecordCodec.raw(doc.getString("raw_json")) : null))
                .toList();
        Map<String, String> names = includeAssignments
                ? MemberNaming.lookup(
                        store,
                        tenantId,
                        accountId,
                        roles.stream().map(Role::members).toList())
                : Map.of();
        List<RoleDto> dtos = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Role role = roles.get(i);
            Role named = role.members() == null
                    ? role
                    : role.toBuilder()
                            .members(MemberNaming.named(role.members(), names))
                            .build();
            dtos.add(IamDtos.role(named, includeAssignments, SyncedReads.deleted(docs.get(i))));
        }
        return dtos;
    }
}
