package dev.keyline.platform.sync;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.platform.directory.Privilege;
import dev.keyline.platform.sync.SyncPass.Incoming;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The records a run stores for what a listing returned, built and hashed on the thread that fetched the page so the
 * run's own thread only writes.
 */
final class IncomingRecords {
    private IncomingRecords() {}

    /** Builds the records of a page of users, each without the other side of its memberships. */
    static List<Incoming> users(List<User> users) {
        return users(users, null);
    }

    /**
     * Builds the records of a page of users, joined with the groups and roles this run listed (see {@link
     * MembershipIndex#enrich}); hashed as joined, so a membership that changes on the group side changes the user.
     * Needs no store and only reads the frozen index, so it runs on the thread that fetched the page.
     */
    static List<Incoming> users(List<User> users, MembershipIndex membership) {
        List<Incoming> incoming = new ArrayList<>(users.size());
        for (User listed : users) {
            incoming.add(user(listed, membership, RecordCodec.rawJson(listed.raw())));
        }
        return incoming;
    }

    static Incoming user(User listed, MembershipIndex membership, String rawJson) {
        User user = membership == null ? listed : membership.enrich(listed);
        Document record = RecordCodec.user(user.withoutRaw());
        // Outside the record (not hashed): the facts synced reads filter on, each indexed.
        Document extra = new Document("username_lc", RecordCodec.lower(user.username()))
                .append("emails_lc", RecordCodec.emailKeys(user))
                .append("status", user.status().value().wireName())
                .append("is_privileged", Privilege.of(user))
                .append("mfa_enrolled", user.mfa().enrolled())
                .append("last_login_at", user.lastLoginAt() == null ? null : Date.from(user.lastLoginAt()))
                .append("user_type", userType(user))
                .append(
                        "group_ids",
                        user.groups().stream().map(g -> g.remoteId()).toList())
                .append("role_ids", user.roles().stream().map(r -> r.remoteId()).toList())
                .append("own_refs", RecordCodec.ownRefs(listed, user));
        return new Incoming(user.remoteId(), record, RecordCodec.hash(record), rawJson, extra);
    }

    /** The type a read shows (IamDtos): the provider's, or bot for a bot flag without one; null when unknown. */
    private static String userType(User user) {
        if (user.type() != null) {
            return user.type().value().wireName();
        }
        return user.isBotUser() ? UserTypeValue.BOT.wireName() : null;
    }

    /** As {@link #users}, for groups; each carries its members for the membership index. */
    static List<Incoming> groups(List<Group> groups) {
        List<Incoming> incoming = new ArrayList<>(groups.size());
        for (Group group : groups) {
            Document record = RecordCodec.group(group.withoutRaw());
            Document extra = new Document("name_lc", RecordCodec.lower(group.name()));
            incoming.add(new Incoming(
                    group.remoteId(),
                    record,
                    RecordCodec.hash(record),
                    RecordCodec.rawJson(group.raw()),
                    extra,
                    MembershipIndex.Links.of(group)));
        }
        return incoming;
    }

    /** As {@link #groups}, for roles; each carries its assignments for the membership index. */
    static List<Incoming> roles(List<Role> roles) {
        List<Incoming> incoming = new ArrayList<>(roles.size());
        for (Role role : roles) {
            Document record = RecordCodec.role(role.withoutRaw());
            Document extra = new Document("name_lc", RecordCodec.lower(role.name()));
            incoming.add(new Incoming(
                    role.remoteId(),
                    record,
                    RecordCodec.hash(record),
                    RecordCodec.rawJson(role.raw()),
                    extra,
                    MembershipIndex.Links.of(role)));
        }
        return incoming;
    }
}
