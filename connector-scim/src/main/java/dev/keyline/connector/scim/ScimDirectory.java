package dev.keyline.connector.scim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Users and groups of a SCIM 2.0 server, read with {@link ScimClient}. Provider connectors delegate their
 * {@link UserDirectory} and {@link GroupDirectory} to it.
 *
 * <p>Filters are applied here, not with SCIM {@code filter} (which servers support unevenly): a filtered
 * page is filled by reading further upstream pages, up to {@link Options#maxRequestsPerPage} requests,
 * after which a shorter (possibly empty) page with a cursor is returned. A listing ends at the true end:
 * an empty upstream page, a {@code startIndex} past {@code totalResults}, or fewer records than asked when the
 * server gives no total. A listing the server cannot complete (an empty page with records after it, a page
 * of records already listed) fails with {@link ErrorCode#UPSTREAM_ERROR} rather than ending early, because
 * a sync takes the end of a listing to mean the records not seen are gone.
 * {@code startIndex: 0} in an answer is read as "not reported". Thread-safe.
 *
 * <p>Pages are addressed by {@code startIndex}, so the page after a full one starts {@code pageSize} further on
 * ({@link PositionalPaging}); a page read at such a predicted position stands for the real next page only when
 * the position is the same and the page does not hold the record the real cursor says was last listed (a server
 * that ignores {@code startIndex}, or records that shifted, show up that way and are then read as before).
 */
public final class ScimDirectory implements UserDirectory, GroupDirectory, PositionalPaging {

    /**
     * Tuning.
     *
     * @param filteredBatchSize the {@code count} asked for while filtering, when larger than the page size
     * @param maxRequestsPerPage the most upstream list requests one page may cost
     */
    public record Options(int filteredBatchSize, int maxRequestsPerPage) {
        public static final Options DEFAULTS = new Options(100, 20);

        public Options {
            if (filteredBatchSize < 1 || maxRequestsPerPage < 1) {
                throw new IllegalArgumentException("options must be positive");
            }
        }
    }

    private final ScimClient client;
    private final ConnectorLogger logger;
    private final Options options;

    public ScimDirectory(ScimClient client, ConnectorLogger logger) {
        this(client, logger, Options.DEFAULTS);
    }

    public ScimDirectory(ScimClient client, ConnectorLogger logger, Options options) {
        this.client = requireNonNull(client, "client is null");
        this.logger = requireNonNull(logger, "logger is null");
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        requireNonNull(query, "query is null");
        return list(ScimResourceType.USERS, query.cursor(), query.pageSize(), query.filtered(), resource -> {
            User user = ScimMapper.user(resource, query.includeRaw());
            return matches(user, query) ? Optional.of(user) : Optional.empty();
        });
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        requireNonNull(remoteId, "remoteId is null");
        return client.get(ScimResourceType.USERS, remoteId).map(resource -> ScimMapper.user(resource, includeRaw));
    }

    /**
     * Groups, fetching {@code GET /Groups/{id}} for each listed group that came without {@code members}
     * when the query wants members (after the name filter, so only for groups that are returned).
     */
    @Override
    public Page<Group> listGroups(GroupQuery query) {
        requireNonNull(query, "query is null");
        boolean filtered = query.name() != null;
        return list(ScimResourceType.GROUPS, query.cursor(), query.pageSize(), filtered, resource -> {
            Group group = ScimMapper.group(resource, query.includeRaw());
            if (filtered && (group.name() == null || !group.name().equalsIgnoreCase(query.name()))) {
                return Optional.empty();
            }
            if (query.includeMembers() && !ScimMapper.hasMembers(resource)) {
                // Gone between the listing and this request: it is no longer a group to report.
                return getGroup(group.remoteId(), query.includeRaw());
            }
            return Optional.of(group);
        });
    }

    /**
     * The group with its members. A single group's answer without {@code members} means it has none
     * (SCIM leaves out empty attributes), unlike a listing, where servers leave members out for brevity.
     */
    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        requireNonNull(remoteId, "remoteId is null");
        return client.get(ScimResourceType.GROUPS, remoteId).map(resource -> {
            Group group = ScimMapper.group(resource, includeRaw);
            return group.members() == null ? group.withMembers(List.of()) : group;
        });
    }

    @Override
    public Optional<String> cursorAfter(Capability listing, String cursor, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1: " + pageSize);
        }
        ScimResourceType type = typeOf(listing);
        ScimCursor at = cursor == null ? ScimCursor.start(type) : ScimCursor.decode(cursor, type);
        long next = (long) at.nextIndex() + pageSize;
        if (next > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        // No last id: which record ends the page before is only known once it has been read (see answers).
        return Optional.of(new ScimCursor(type, (int) next, null).encode());
    }

    @Override
    public boolean answers(Capability listing, String predicted, String actual, List<String> remoteIds) {
        requireNonNull(remoteIds, "remoteIds is null");
        if (predicted == null || actual == null) {
            return false;
        }
        ScimResourceType type = typeOf(listing);
        ScimCursor guess = ScimCursor.decode(predicted, type);
        ScimCursor real = ScimCursor.decode(actual, type);
        // With the same startIndex, list() reads the same upstream answers; the last id only makes it skip up to
        // that record when the answer holds it, which the page read without it then shows.
        return guess.lastId() == null
                && guess.nextIndex() == real.nextIndex()
                && (real.lastId() == null || !remoteIds.contains(real.lastId()));
    }

    private static ScimResourceType typeOf(Capability listing) {
        return switch (requireNonNull(listing, "listing is null")) {
            case USERS -> ScimResourceType.USERS;
            case GROUPS -> ScimResourceType.GROUPS;
            default -> throw new IllegalArgumentException(listing + " is not a listing");
        };
    }

    private <T> Page<T> list(
            ScimResourceType type,
            String cursorText,
            int pageSize,
            boolean filtered,
            Function<JsonNode, Optional<T>> convert) {
        ScimCursor cursor = cursorText == null ? ScimCursor.start(type) : ScimCursor.decode(cursorText, type);
        int index = cursor.nextIndex();
        String lastId = cursor.lastId();
        List<T> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int request = 0; request < options.maxRequestsPerPage(); request++) {
            int wanted = pageSize - items.size();
            int count = filtered ? Math.max(wanted, options.filteredBatchSize()) : wanted;
            ScimListResponse response = client.list(type, index, count);
            List<JsonNode> resources = response.resources();

            // A server that ignores startIndex but says so (startIndex 1 when 11 was asked) gets its
            // leading records skipped; startIndex 0 means "not reported" and changes nothing.
            int offset = 0;
            Integer reportedStart = response.startIndex();
            if (reportedStart != null && reportedStart >= 1 && reportedStart < index) {
                offset = Math.min(index - reportedStart, resources.size());
            }
            int available = resources.size() - offset;
            int first = offset;
            if (lastId != null) {
                for (int j = offset; j < resources.size(); j++) {
                    if (lastId.equals(id(resources.get(j)))) {
                        first = j + 1;
                        break;
                    }
                }
            }

            // Records past the total the server claims prove the total wrong: only the records can end it then.
            Integer total = response.totalResults();
            if (total != null && index + available - 1 > total) {
                total = null;
            }

            int fresh = 0;
            for (int j = first; j < resources.size(); j++) {
                JsonNode resource = resources.get(j);
                String id = id(resource);
                if (!seen.add(id)) {
                    continue;
                }
                fresh++;
                lastId = id;
                convert.apply(resource).ifPresent(items::add);
                if (items.size() == pageSize) {
                    int next = index + (j - offset) + 1;
                    boolean lastOfPage = j == resources.size() - 1;
                    boolean end = lastOfPage && ended(type, total, next, available, count);
                    return Page.of(items, end ? null : new ScimCursor(type, next, lastId).encode());
                }
            }

            int next = index + Math.max(available, 0);
            if (available <= 0) {
                // An empty page where the total says records remain is the end only if there is no record at
                // this index either (a total that is too high); one there means the page was lost, and
                // ending here would report the rest as gone.
                if (total == null || index > total || !recordsAt(type, index)) {
                    return Page.last(items);
                }
                throw incomplete(
                        type,
                        "answered startIndex=" + index + " with no " + type.plural()
                                + " although it reports totalResults=" + total
                                + " and lists one there when asked for one");
            }
            if (ended(type, total, next, available, count)) {
                return Page.last(items);
            }
            if (fresh == 0) {
                // The same records again under a new startIndex: the server is not paging, and what it has
                // beyond them cannot be reached. Ending here would report those as gone.
                throw incomplete(type, "answered startIndex=" + index + " with " + type.plural() + " already listed");
            }
            index = next;
        }
        // Reading on would make one call arbitrarily slow; the caller continues from here.
        return Page.of(items, new ScimCursor(type, index, lastId).encode());
    }

    /**
     * Whether the listing ends after a page of {@code available} records that leaves off before {@code next}.
     * Without a total, fewer records than asked is the end. With one, only the end past it is: servers may cap
     * {@code count} below what was asked. A full page landing exactly on the total costs one single-record
     * request to tell a true total from one that is too low.
     */
    private boolean ended(ScimResourceType type, Integer total, int next, int available, int count) {
        if (total == null) {
            return available < count;
        }
        if (next <= total) {
            return false;
        }
        return available < count || !recordsAt(type, next);
    }

    /** Whether the server lists any record at this index. */
    private boolean recordsAt(ScimResourceType type, int index) {
        return !client.list(type, index, 1).resources().isEmpty();
    }

    private ConnectorException incomplete(ScimResourceType type, String what) {
        logger.warn("The SCIM server at " + client.baseUri().getHost() + " " + what + "; the listing was stopped.");
        return client.failure(
                        ErrorCode.UPSTREAM_ERROR,
                        "The SCIM server at " + client.baseUri().getHost() + " " + what + ", so its list of "
                                + type.plural() + " cannot be read completely. Try again later, and contact the"
                                + " provider if it persists.",
                        "scim.listing_incomplete")
                .param("host", client.baseUri().getHost())
                .param("resource", type.plural())
                .build();
    }

    private static String id(JsonNode resource) {
        return resource.path("id").asText();
    }

    private static boolean matches(User user, UserQuery query) {
        if (query.status() != null && user.status().value() != query.status()) {
            return false;
        }
        if (query.username() != null
                && (user.username() == null || !user.username().equalsIgnoreCase(query.username()))) {
            return false;
        }
        if (query.email() != null) {
            return user.emails().stream().anyMatch(e -> e.value().equalsIgnoreCase(query.email()))
                    || (user.primaryEmailAddress() != null
                            && user.primaryEmailAddress().equalsIgnoreCase(query.email()));
        }
        return true;
    }
}
