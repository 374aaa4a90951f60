package dev.keyline.connector.okta;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Okta org. Users are read in two passes: the default listing (which leaves DEPROVISIONED users out), then
 * {@code filter=status eq "DEPROVISIONED"}, so deactivated people are listed as disabled and only deleted ones are
 * absent. Cursors hold the pass and the path of Okta's next page.
 */
final class OktaConnector
        implements Connector, CredentialValidator, UserDirectory, GroupDirectory, RoleDirectory, UserChangeFeed {
    static final String DEPROVISIONED = "filter=" + OktaApi.encode("status eq \"DEPROVISIONED\"");
    /** Okta's clocks and ours may disagree; a watermark reaches back this far so no change slips between them. */
    static final Duration SKEW = Duration.ofMinutes(1);

    private final OktaApi api;
    private final OktaRoles roles;
    private final boolean readFactors;
    private final Clock clock;

    OktaConnector(OktaApi api, boolean readFactors, Clock clock) {
        this.api = requireNonNull(api, "api is null");
        this.roles = new OktaRoles(api);
        this.readFactors = readFactors;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One page of users (up to 200: the count), one probe of role assignments, one of factors when asked for. */
    @Override
    public Validation validate() {
        OktaApi.Page first = api.page("/api/v1/users?limit=200");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("okta_domain", api.domain());
        facts.put(
                first.next() == null ? "users" : "users_at_least",
                String.valueOf(first.items().size()));
        String grant =
                api.oauth() ? "the okta.roles.read scope" : "an administrator role such as Read-only Administrator";
        try {
            api.require(api.get("/api/v1/iam/assignees/users?limit=1"));
        } catch (ConnectorException e) {
            if (!OktaRoles.forbidden(e)) {
                throw e;
            }
            facts.put("missing_permission.roles", api.oauth() ? "okta.roles.read" : grant);
        }
        if (readFactors && !first.items().isEmpty()) {
            try {
                api.require(api.get("/api/v1/users/"
                        + OktaApi.encode(first.items().get(0).path("id").asText()) + "/factors"));
            } catch (ConnectorException e) {
                if (!OktaRoles.forbidden(e)) {
                    throw e;
                }
                facts.put("missing_permission.mfa", api.oauth() ? "okta.users.read" : grant);
            }
        }
        String count = (first.next() == null ? "" : "at least ") + first.items().size();
        return new Validation("Connected to Okta org " + api.domain() + " (" + count + " users).", facts);
    }

    // ---- users ----

    @Override
    public Page<User> listUsers(UserQuery query) {
        Cursor cursor = Cursor.parse(query.cursor(), query, pageSize(query));
        OktaApi.Page page = api.page(cursor.path());
        Optional<Set<String>> admins = roles.assignees();
        List<User> users = new ArrayList<>(page.items().size());
        for (JsonNode node : page.items()) {
            // The default listing omits DEPROVISIONED users; should one appear, the second pass reports it.
            if (cursor.pass() == 1 && "DEPROVISIONED".equals(node.path("status").asText())) {
                continue;
            }
            User user = user(node, admins, query.includeRaw());
            if (query.status() == null || query.status() == user.status().value()) {
                users.add(user);
            }
        }
        String next = null;
        if (page.next() != null) {
            next = new Cursor(cursor.pass(), page.next()).encode();
        } else if (cursor.pass() == 1 && (query.status() == null || query.status() == StatusValue.DISABLED)) {
            next = new Cursor(2, "/api/v1/users?limit=" + pageSize(query) + "&" + DEPROVISIONED).encode();
        }
        return Page.of(users, next);
    }

    private static int pageSize(UserQuery query) {
        return Math.min(query.pageSize(), 200);
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        return api.find("/api/v1/users/" + OktaApi.encode(remoteId))
                .map(node -> user(node, roles.assignees(), includeRaw));
    }

    /**
     * A user as the API shows it, without groups: membership comes from the groups' member listings, which the
     * platform joins into users when it syncs (and says so on live reads). Reading {@code /users/{id}/groups} for
     * every listed user would cost one request per user.
     */
    private User user(JsonNode node, Optional<Set<String>> admins, boolean includeRaw) {
        String id = node.path("id").asText();
        String path = "/api/v1/users/" + OktaApi.encode(id);
        List<GroupRef> groups = List.of();
        List<RoleRef> held = admins.map(set -> set.contains(id) ? roles.rolesOf(id) : List.<RoleRef>of())
                .orElse(null);
        Mfa mfa = Mfa.UNKNOWN;
        if (readFactors) {
            try {
                mfa = OktaMapping.mfa(api.all(path + "/factors"));
            } catch (ConnectorException e) {
                if (!OktaRoles.forbidden(e)) {
                    throw e;
                }
            }
        }
        return OktaMapping.user(node, groups, held, mfa, includeRaw);
    }

    // ---- incremental sync ----

    /** Now, less the clock skew allowance, as Okta's {@code lastUpdated} filter reads it. */
    @Override
    public String currentWatermark() {
        return clock.instant().minus(SKEW).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * Users whose {@code lastUpdated} is after the watermark: a filter returns DEPROVISIONED users too, so a
     * deactivation comes back as a change to disabled. Okta does not list deleted users, so {@code removed} is always
     * empty; a full sync finds them gone.
     */
    @Override
    public UserChanges userChanges(String watermark, String cursor, int pageSize, boolean includeRaw) {
        String next;
        String newWatermark;
        if (cursor == null) {
            Instant since = since(watermark);
            newWatermark = currentWatermark();
            next = "/api/v1/users?limit=" + Math.min(Math.max(pageSize, 1), 200) + "&filter="
                    + OktaApi.encode("lastUpdated gt \"" + since + "\"");
        } else {
            Cursor parsed = Cursor.decode(cursor);
            newWatermark = parsed.path().substring(0, parsed.path().indexOf(' '));
            next = parsed.path().substring(parsed.path().indexOf(' ') + 1);
        }
        OktaApi.Page page = api.page(next);
        Optional<Set<String>> admins = roles.assignees();
        List<User> changed =
                page.items().stream().map(n -> user(n, admins, includeRaw)).toList();
        if (page.next() == null) {
            return new UserChanges(changed, List.of(), null, newWatermark);
        }
        return new UserChanges(changed, List.of(), new Cursor(3, newWatermark + " " + page.next()).encode(), null);
    }

    private static Instant since(String watermark) {
        try {
            return Instant.parse(requireNonNull(watermark, "watermark is null"));
        } catch (DateTimeParseException e) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CONFIG, "The sync watermark is not a time Keyline handed out.")
                    .messageCode(UserChangeFeed.WATERMARK_EXPIRED)
                    .build();
        }
    }

    // ---- groups ----

    @Override
    public Page<Group> listGroups(GroupQuery query) {
        String path = query.cursor() == null
                ? "/api/v1/groups?limit=" + Math.min(query.pageSize(), 10_000)
                : Cursor.decode(query.cursor()).path();
        OktaApi.Page page = api.page(path);
        List<Group> groups = new ArrayList<>();
        for (JsonNode node : page.items()) {
            if (query.name() == null
                    || query.name()
                            .equalsIgnoreCase(node.path("profile").path("name").asText())) {
                groups.add(group(node, query.includeMembers(), query.includeRaw()));
            }
        }
        return Page.of(groups, page.next() == null ? null : new Cursor(4, page.next()).encode());
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return api.find("/api/v1/groups/" + OktaApi.encode(remoteId)).map(node -> group(node, true, includeRaw));
    }

    private Group group(JsonNode node, boolean includeMembers, boolean includeRaw) {
        List<MemberRef> members = null;
        if (includeMembers) {
            members =
                    api.all("/api/v1/groups/" + OktaApi.encode(node.path("id").asText()) + "/users?limit=1000").stream()
                            .map(OktaMapping::member)
                            .toList();
        }
        return OktaMapping.group(node, members, includeRaw);
    }

    // ---- roles ----

    @Override
    public Page<Role> listRoles(RoleQuery query) {
        int offset = query.cursor() == null ? 0 : Cursor.decode(query.cursor()).offset();
        List<Role> all = roles.all(query.includeAssignments(), query.includeRaw());
        int end = Math.min(all.size(), offset + query.pageSize());
        List<Role> page = offset >= all.size() ? List.of() : all.subList(offset, end);
        return Page.of(page, end < all.size() ? new Cursor(5, String.valueOf(end)).encode() : null);
    }

    @Override
    public Optional<Role> getRole(String remoteId, boolean includeRaw) {
        return roles.all(true, includeRaw).stream()
                .filter(r -> r.remoteId().equals(remoteId))
                .findFirst();
    }

    /** Nothing to release: the transport and the authorization belong to the platform. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "OktaConnector[" + api + "]";
    }

    /** Where a listing continues: a pass (1, 2: users; 3: changes; 4: groups; 5: roles) and a path or position. */
    record Cursor(int pass, String path) {
        static Cursor parse(String cursor, UserQuery query, int pageSize) {
            if (cursor != null) {
                return decode(cursor);
            }
            StringBuilder path = new StringBuilder("/api/v1/users?limit=" + pageSize);
            if (query.email() != null) {
                path.append("&filter=").append(OktaApi.encode("profile.email eq \"" + quoted(query.email()) + "\""));
            } else if (query.username() != null) {
                path.append("&filter=").append(OktaApi.encode("profile.login eq \"" + quoted(query.username()) + "\""));
            }
            // A filter returns every status, DEPROVISIONED included, so a filtered listing needs one pass only.
            return new Cursor(query.email() != null || query.username() != null ? 0 : 1, path.toString());
        }

        private static String quoted(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"");
        }

        int offset() {
            try {
                return Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw invalid();
            }
        }

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((pass + ":" + path).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                return new Cursor(Integer.parseInt(text.substring(0, colon)), text.substring(colon + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw invalid();
            }
        }

        private static ConnectorException invalid() {
            return ConnectorException.builder(
                            ErrorCode.INVALID_CONFIG, "The page cursor is not one Keyline handed out.")
                    .messageCode("okta.cursor_invalid")
                    .build();
        }
    }
}
