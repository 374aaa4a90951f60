package dev.keyline.platform.sync;

import dev.keyline.connector.model.MemberRef;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names the members a provider listed without a username (a SCIM server sending no {@code display}) from the
 * account's synced users, for a whole page at once: one {@link MemberNames} lookup however many records the page
 * holds, and none when every member already has a name.
 */
final class MemberNaming {
    private MemberNaming() {}

    /** The usernames the store knows for the unnamed members among {@code memberLists}. */
    static Map<String, String> lookup(
            MongoStore store, String tenantId, String accountId, Collection<List<MemberRef>> memberLists) {
        List<String> unnamed = memberLists.stream()
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .filter(m -> m.username() == null)
                .map(MemberRef::remoteId)
                .toList();
        return unnamed.isEmpty() ? Map.of() : MemberNames.of(store, tenantId, accountId, unnamed);
    }

    /** The members, each unnamed one with its synced username where the store has one; null stays null. */
    static List<MemberRef> named(List<MemberRef> members, Map<String, String> names) {
        if (members == null || names.isEmpty()) {
            return members;
        }
        return members.stream()
                .map(m -> m.username() == null && names.containsKey(m.remoteId())
                        ? new MemberRef(m.remoteId(), names.get(m.remoteId()))
                        : m)
                .toList();
    }
}
