package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.conversions.Bson;

/**
 * The access-review filters of a user listing, answered from the facts a sync stores beside each user's record
 * ({@code is_privileged}, {@code mfa_enrolled}, {@code last_login_at}, {@code user_type}, {@code role_ids},
 * {@code group_ids}); null filters are unused. The store holds these facts only, so they are synced-only filters.
 *
 * @param roleRemoteId the provider's id of a role the user holds (directly or through a group, as the sync saw it)
 * @param groupRemoteId the provider's id of a group the user belongs to
 */
public record UserReviewFilter(
        Boolean privileged,
        Boolean mfaEnrolled,
        Instant lastLoginBefore,
        UserTypeValue type,
        String roleRemoteId,
        String groupRemoteId) {

    public static final UserReviewFilter NONE = new UserReviewFilter(null, null, null, null, null, null);

    /** Whether any filter is set: then only the store can answer. */
    public boolean any() {
        return !equals(NONE);
    }

    /**
     * The MongoDB conditions. {@code false} matches only users the provider says it of, never unknown ones. A user
     * with no known last login (never signed in, or the provider does not say) is before every instant: a review of
     * who has not signed in lately must see the accounts nobody ever used, rather than lose them.
     */
    List<Bson> narrowing() {
        List<Bson> filters = new ArrayList<>();
        if (privileged != null) {
            filters.add(eq("is_privileged", privileged));
        }
        if (mfaEnrolled != null) {
            filters.add(eq("mfa_enrolled", mfaEnrolled));
        }
        if (lastLoginBefore != null) {
            filters.add(or(lt("last_login_at", Date.from(lastLoginBefore)), eq("last_login_at", null)));
        }
        if (type != null) {
            filters.add(eq("user_type", type.wireName()));
        }
        if (roleRemoteId != null) {
            filters.add(eq("role_ids", roleRemoteId));
        }
        if (groupRemoteId != null) {
            filters.add(eq("group_ids", groupRemoteId));
        }
        return filters;
    }

    /** The filters as text for a cursor's scope and the page cache's key; null parts are empty. */
    String scope() {
        return String.join(
                ",",
                String.valueOf(privileged),
                String.valueOf(mfaEnrolled),
                String.valueOf(lastLoginBefore),
                type == null ? "null" : type.wireName(),
                // Remote ids are the provider's text and may hold a comma: their length keeps the parts apart.
                roleRemoteId == null ? "null" : roleRemoteId.length() + ":" + roleRemoteId,
                groupRemoteId == null ? "null" : groupRemoteId.length() + ":" + groupRemoteId);
    }
}
