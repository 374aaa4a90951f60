package dev.keyline.connector.keycloak;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One realm: validation, users with their group memberships, and groups (subgroups included) with their members.
 * Paging is Keycloak's {@code first}/{@code max}; a page shorter than {@code max} is the last.
 */
final class KeycloakConnector implements Connector, CredentialValidator, UserDirectory, GroupDirectory {
    /** Page size for the lists a record needs whole (a user's groups, a group's members). */
    static final int INNER_PAGE = 100;

    private final KeycloakApi api;

    KeycloakConnector(KeycloakApi api) {
        this.api = requireNonNull(api, "api is null");
    }

    /** Two cheap requests: one user (proves the token may view users) and the realm's user count. */
    @Override
    public Validation validate() {
        try {
            api.array("/users?first=0&max=1&briefRepresentation=true");
            JsonNode count = api.json(api.require(api.get("/users/count")));
            String users = count.canConvertToLong() ? String.valueOf(count.asLong()) : "?";
            return new Validation(
                    "Connected to realm " + api.realm() + " (" + users + " users).",
                    Map.of(
                            "realm",
                            api.realm(),
                            "users",
                            users,
                            "server",
                            api.base().toString()));
        } catch (ConnectorException e) {
            if (e.field().isEmpty()
                    && (e.code() == ErrorCode.HOST_NOT_FOUND
                            || e.code() == ErrorCode.CONNECTION_FAILED
                            || e.code() == ErrorCode.TLS_ERROR
                            || e.code() == ErrorCode.TIMEOUT)) {
                throw e.withField(KeycloakConnectorFactory.BASE_URL);
            }
            throw e;
        }
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        int first = offset(query.cursor());
        StringBuilder filters = new StringBuilder("&briefRepresentation=false");
        if (query.email() != null || query.username() != null) {
            filters.append("&exact=true");
        }
        if (query.email() != null) {
            filters.append("&email=").append(encode(query.email()));
        }
        if (query.username() != null) {
            filters.append("&username=").append(encode(query.username()));
        }
        if (query.status() == StatusValue.ENABLED || query.status() == StatusValue.DISABLED) {
            filters.append("&enabled=").append(query.status() == StatusValue.ENABLED);
        } else if (query.status() != null) {
            // Keycloak users are enabled or disabled; no user has another status.
            return Page.last(List.of());
        }
        List<JsonNode> records = api.array("/users?first=" + first + "&max=" + query.pageSize() + filters);
        List<User> users = new ArrayList<>(records.size());
        for (JsonNode node : records) {
            User user = KeycloakMapping.user(node, groupsOf(node.path("id").asText()), query.includeRaw());
            if (matches(user, query)) {
                users.add(user);
            }
        }
        return Page.of(users, records.size() < query.pageSize() ? null : String.valueOf(first + records.size()));
    }

    /** Keycloak's exact search ignores case; the same check here guards against a server that matched loosely. */
    private static boolean matches(User user, UserQuery query) {
        if (query.email() != null && !query.email().equalsIgnoreCase(user.primaryEmailAddress())) {
            return false;
        }
        return query.username() == null || query.username().equalsIgnoreCase(user.username());
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        return api.find("/users/" + KeycloakApi.segment(remoteId))
                .map(node -> KeycloakMapping.user(node, groupsOf(remoteId), includeRaw));
    }

    private List<GroupRef> groupsOf(String userId) {
        return api
                .all("/users/" + KeycloakApi.segment(userId) + "/groups", "&briefRepresentation=true", INNER_PAGE)
                .stream()
                .map(KeycloakMapping::groupRef)
                .toList();
    }

    /**
     * Top-level groups first, then the children of every group that has some, breadth first. The cursor holds the
     * parents still to visit with the offset reached in the first of them, so no page needs the whole tree.
     */
    @Override
    public Page<Group> listGroups(GroupQuery query) {
        Deque<Frame> frames = frames(query.cursor());
        List<Group> groups = new ArrayList<>();
        while (!frames.isEmpty() && groups.size() < query.pageSize()) {
            Frame frame = frames.removeFirst();
            int want = query.pageSize() - groups.size();
            String path = frame.parent().isEmpty()
                    ? "/groups"
                    : "/groups/" + KeycloakApi.segment(frame.parent()) + "/children";
            List<JsonNode> records =
                    api.array(path + "?first=" + frame.offset() + "&max=" + want + "&briefRepresentation=false");
            for (JsonNode node : records) {
                if (KeycloakMapping.hasSubGroups(node)) {
                    frames.addLast(new Frame(node.path("id").asText(), 0));
                }
                if (query.name() == null
                        || query.name()
                                .toLowerCase(Locale.ROOT)
                                .equals(node.path("name").asText("").toLowerCase(Locale.ROOT))) {
                    groups.add(group(node, query.includeMembers(), query.includeRaw()));
                }
            }
            if (records.size() == want) {
                frames.addFirst(new Frame(frame.parent(), frame.offset() + records.size()));
            }
        }
        return Page.of(groups, frames.isEmpty() ? null : cursor(frames));
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return api.find("/groups/" + KeycloakApi.segment(remoteId)).map(node -> group(node, true, includeRaw));
    }

    private Group group(JsonNode node, boolean includeMembers, boolean includeRaw) {
        List<MemberRef> members = null;
        if (includeMembers) {
            members = api
                    .all(
                            "/groups/" + KeycloakApi.segment(node.path("id").asText()) + "/members",
                            "&briefRepresentation=true",
                            INNER_PAGE)
                    .stream()
                    .map(KeycloakMapping::member)
                    .toList();
        }
        return KeycloakMapping.group(node, members, includeRaw);
    }

    /** A parent still to visit ("" for the top level) and how far its children were read. */
    record Frame(String parent, int offset) {}

    static String cursor(Deque<Frame> frames) {
        String text =
                frames.stream().map(f -> encode(f.parent()) + ":" + f.offset()).collect(Collectors.joining(","));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Deque<Frame> frames(String cursor) {
        Deque<Frame> frames = new ArrayDeque<>();
        if (cursor == null) {
            frames.add(new Frame("", 0));
            return frames;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            for (String part : text.split(",")) {
                int colon = part.lastIndexOf(':');
                String parent = java.net.URLDecoder.decode(part.substring(0, colon), StandardCharsets.UTF_8);
                int offset = Integer.parseInt(part.substring(colon + 1));
                if (offset < 0) {
                    throw invalidCursor();
                }
                frames.add(new Frame(parent, offset));
            }
            return frames;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw invalidCursor();
        }
    }

    private static int offset(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(cursor);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw invalidCursor();
    }

    private static ConnectorException invalidCursor() {
        return ConnectorException.builder(ErrorCode.INVALID_CONFIG, "The page cursor is not one Keyline handed out.")
                .messageCode("keycloak.cursor_invalid")
                .build();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Nothing to release: the transport and the authorization belong to the platform. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "KeycloakConnector[" + api + "]";
    }
}
