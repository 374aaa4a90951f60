package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.model.Projections;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The usernames of an account's synced users, looked up by remote id: a provider that lists members without their
 * names (a SCIM server sending no {@code display}) still gets them named in synced reads and snapshots, from the
 * users the same sync stored. One query per lookup, by document id.
 */
public final class MemberNames {
    private MemberNames() {}

    /** The username of each of these users that the store holds one for. */
    public static Map<String, String> of(
            MongoStore store, String tenantId, String accountId, Collection<String> remoteIds) {
        Map<String, String> names = new HashMap<>();
        if (remoteIds.isEmpty()) {
            return names;
        }
        List<String> ids = remoteIds.stream()
                .distinct()
                .map(id -> MongoStore.docId(tenantId, accountId, id))
                .toList();
        store.users()
                .find(in("_id", ids))
                .projection(Projections.include("remote_id", "record.username"))
                .forEach(d -> {
                    String username = d.get("record", Document.class).getString("username");
                    if (username != null) {
                        names.put(d.getString("remote_id"), username);
                    }
                });
        return names;
    }
}
