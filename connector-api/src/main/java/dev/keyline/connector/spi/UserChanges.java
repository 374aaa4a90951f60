package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.User;
import java.util.List;

/**
 * One page of {@link UserChangeFeed#userChanges}.
 *
 * @param changed users created or changed since the watermark, in full
 * @param removed provider ids of users the provider says were deleted (not merely deactivated)
 * @param nextCursor the cursor of the next page, or null on the last page
 * @param watermark on the last page, the watermark to continue from next time; null on other pages
 */
public record UserChanges(List<User> changed, List<String> removed, String nextCursor, String watermark) {
    public UserChanges {
        changed = List.copyOf(requireNonNull(changed, "changed is null"));
        removed = List.copyOf(requireNonNull(removed, "removed is null"));
        if ((nextCursor == null) == (watermark == null)) {
            throw new IllegalArgumentException("a page has either a next cursor or, as the last page, a watermark");
        }
    }

    /** Whether this is the last page. */
    public boolean last() {
        return nextCursor == null;
    }
}
