package dev.keyline.connector.entraid;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The users delta query ({@code /users/delta}) as a change feed. The watermark is Graph's {@code @odata.deltaLink},
 * the cursor its {@code @odata.nextLink}. A delta entry carries only the properties that changed, so each changed
 * user is read again in full. An entry with {@code @removed} is gone from the users listing: reason {@code deleted}
 * (deleted for good) and reason {@code changed} (moved to deleted items, restorable for 30 days) are both reported
 * as removed; a restored user comes back as a change.
 */
final class EntraChanges {
    /** Graph's codes for a delta token it no longer honours. */
    private static final Set<String> EXPIRED = Set.of("syncStateNotFound", "syncStateInvalid", "resyncRequired");

    /** Reads one user in full, or empty when it is gone. */
    interface UserReader {
        Optional<User> read(String id, boolean includeRaw);
    }

    private final GraphApi api;
    private final UserReader users;

    EntraChanges(GraphApi api, UserReader users) {
        this.api = requireNonNull(api, "api is null");
        this.users = requireNonNull(users, "users is null");
    }

    /**
     * With {@code $select}, Graph tracks changes of the selected properties only, so the delta link selects every
     * property the model maps, and {@code manager} to hear of a new manager.
     */
    static final String TRACKED = EntraIdMapping.USER_SELECT + ",manager";

    /** {@code $deltatoken=latest}: a delta link for now, without reading any user. */
    String currentWatermark() {
        JsonNode page = read("/users/delta?$select=" + TRACKED + "&$deltatoken=latest");
        JsonNode link = page.get("@odata.deltaLink");
        if (link == null || link.isNull()) {
            throw new ConnectorException(ErrorCode.UPSTREAM_ERROR, "Microsoft Graph sent no delta link for now.");
        }
        api.relative(link.asText());
        return link.asText();
    }

    UserChanges changes(String watermark, String cursor, int pageSize, boolean includeRaw) {
        String path = api.relative(cursor != null ? cursor : requireNonNull(watermark, "watermark is null"));
        if (!path.startsWith("/users/delta?")) {
            throw ConnectorException.builder(ErrorCode.INVALID_CONFIG, "The watermark is not a users delta link.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".watermark_invalid")
                    .build();
        }
        JsonNode page = read(path, "Prefer", "odata.maxpagesize=" + Math.max(1, Math.min(pageSize, 999)));
        List<User> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (JsonNode entry : page.path("value")) {
            String id = entry.path("id").asText();
            if (entry.has("@removed")) {
                removed.add(id);
                continue;
            }
            users.read(id, includeRaw).ifPresentOrElse(changed::add, () -> removed.add(id));
        }
        JsonNode next = page.get("@odata.nextLink");
        if (next != null && !next.isNull()) {
            api.relative(next.asText());
            return new UserChanges(changed, removed, next.asText(), null);
        }
        JsonNode delta = page.get("@odata.deltaLink");
        if (delta == null || delta.isNull()) {
            throw new ConnectorException(
                    ErrorCode.UPSTREAM_ERROR, "Microsoft Graph ended a delta round without a link.");
        }
        api.relative(delta.asText());
        return new UserChanges(changed, removed, null, delta.asText());
    }

    private JsonNode read(String path, String... headers) {
        HttpResponse response = api.send(path, headers);
        // Graph answers 410 Gone when the tenant needs a full resync, and "a 40X-series error with error codes such
        // as syncStateNotFound" for a token older than its seven days (learn.microsoft.com/graph/delta-query-overview).
        int status = response.status();
        if (status == 410 || (status >= 400 && status < 500 && EXPIRED.contains(GraphApi.errorCode(response)))) {
            throw ConnectorException.builder(
                            ErrorCode.UPSTREAM_ERROR,
                            "Microsoft Graph no longer honours the saved delta link; Keyline reads every user again.")
                    .messageCode(UserChangeFeed.WATERMARK_EXPIRED)
                    .param("graph_code", GraphApi.errorCode(response))
                    .build();
        }
        return api.json(api.require(response));
    }
}
