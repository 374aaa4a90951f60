package dev.keyline.connector.entraid;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.http.HttpResponse;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Entra ID tenant over Microsoft Graph v1.0: users ({@code @odata.nextLink} paging, {@code $top} at most 999,
 * 120 with {@code signInActivity}), groups with their user members, directory roles from the unified role
 * definitions and assignments, and the users delta query as the change feed.
 */
final class EntraIdConnector
        implements Connector, CredentialValidator, UserDirectory, GroupDirectory, RoleDirectory, UserChangeFeed {
    static final int MAX_TOP = 999;
    /** Graph's limit on {@code $top} when {@code signInActivity} is selected. */
    static final int MAX_TOP_WITH_SIGN_IN = 120;

    private final GraphApi api;
    private final OptionalReads optional;
    private Map<String, List<GroupRef>> memberships;

    EntraIdConnector(GraphApi api) {
        this.api = requireNonNull(api, "api is null");
        this.optional = new OptionalReads(api);
    }

    /**
     * One request proves User.Read.All and counts the users; one small probe per optional permission says which
     * fields will stay empty.
     */
    @Override
    public Validation validate() {
        JsonNode first = json(api.send("/users?$select=id&$top=1&$count=true", "ConsistencyLevel", "eventual"));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("tenant", api.tenant());
        facts.put("graph_host", api.host());
        JsonNode count = first.get("@odata.count");
        String users = count != null && count.canConvertToLong() ? String.valueOf(count.asLong()) : null;
        if (users != null) {
            facts.put("users", users);
        } else {
            facts.put("users_at_least", String.valueOf(first.path("value").size()));
        }
        optional.probe("/users?$select=id,signInActivity&$top=1")
                .ifPresentOrElse(
                        code -> {
                            optional.signInRefused();
                            facts.put(
                                    "missing_permission.last_login_at",
                                    code.equals(OptionalReads.NON_PREMIUM)
                                            ? OptionalReads.AUDIT_LOG + " and a Microsoft Entra ID P1 or P2 licence"
                                            : OptionalReads.AUDIT_LOG);
                        },
                        optional::signInAnswered);
        optional.probe("/reports/authenticationMethods/userRegistrationDetails?$select=id&$top=1")
                .ifPresent(code -> facts.put("missing_permission.mfa", OptionalReads.AUDIT_LOG));
        optional.probe("/roleManagement/directory/roleDefinitions?$select=id&$top=1")
                .ifPresent(code -> facts.put("missing_permission.roles", OptionalReads.ROLE_MANAGEMENT));
        String missing = facts.keySet().stream().anyMatch(k -> k.startsWith("missing_permission."))
                ? " Some optional fields stay empty until more permissions are granted."
                : "";
        return new Validation(
                "Connected to Microsoft Entra tenant " + api.tenant() + " ("
                        + (users != null ? users + " users" : "users readable") + ")." + missing,
                facts);
    }

    private JsonNode json(HttpResponse response) {
        return api.json(api.require(response));
    }

    // ---- users ----

    @Override
    public Page<User> listUsers(UserQuery query) {
        if (query.status() != null && query.status() != StatusValue.ENABLED && query.status() != StatusValue.DISABLED) {
            return Page.last(List.of());
        }
        String path =
                query.cursor() != null ? api.relative(query.cursor()) : usersPath(query, optional.signInReadable());
        HttpResponse response = api.send(path);
        if (response.status() == 403 && query.cursor() == null && path.contains("signInActivity")) {
            optional.signInRefused();
            path = usersPath(query, false);
            response = api.send(path);
        }
        JsonNode page = json(response);
        List<User> users = new ArrayList<>();
        for (JsonNode node : page.path("value")) {
            users.add(user(node, query.includeRaw()));
        }
        Optional<String> next = api.nextLink(page);
        return Page.of(
                users, next.map(n -> "https://" + api.host() + "/v1.0" + n).orElse(null));
    }

    private static String usersPath(UserQuery query, boolean signIn) {
        int top = Math.min(query.pageSize(), signIn ? MAX_TOP_WITH_SIGN_IN : MAX_TOP);
        StringBuilder path = new StringBuilder("/users?$select=")
                .append(EntraIdMapping.USER_SELECT)
                .append(signIn ? ",signInActivity" : "")
                .append("&$top=")
                .append(top)
                .append("&$expand=manager($select=id)");
        List<String> filters = new ArrayList<>();
        if (query.email() != null) {
            filters.add("mail eq " + literal(query.email()));
        }
        if (query.username() != null) {
            filters.add("userPrincipalName eq " + literal(query.username()));
        }
        if (query.status() != null) {
            filters.add("accountEnabled eq " + (query.status() == StatusValue.ENABLED));
        }
        if (!filters.isEmpty()) {
            path.append("&$filter=").append(encode(String.join(" and ", filters)));
        }
        return path.toString();
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        String select = EntraIdMapping.USER_SELECT + (optional.signInReadable() ? ",signInActivity" : "");
        return api.find("/users/" + segment(remoteId) + "?$select=" + select + "&$expand=manager($select=id)")
                .map(node -> readOne(node, includeRaw));
    }

    /** A listed user: memberships from the tenant-wide index, so a listing costs no request per user. */
    private User user(JsonNode node, boolean includeRaw) {
        String id = node.path("id").asText();
        return user(node, memberships().getOrDefault(id, List.of()), includeRaw);
    }

    /** One user read alone: its own direct memberships ({@code memberOf}), cheaper than the whole index. */
    private User readOne(JsonNode node, boolean includeRaw) {
        String id = node.path("id").asText();
        List<GroupRef> groups = api
                .all("/users/" + segment(id) + "/memberOf/microsoft.graph.group?$select=id,displayName&$top=" + MAX_TOP)
                .stream()
                .map(EntraIdMapping::groupRef)
                .toList();
        return user(node, groups, includeRaw);
    }

    private User user(JsonNode node, List<GroupRef> groups, boolean includeRaw) {
        String id = node.path("id").asText();
        OptionalReads.RoleIndex index = optional.roles();
        List<RoleRef> roles = index == null ? null : index.byPrincipal().getOrDefault(id, List.of());
        Map<String, Mfa> mfa = optional.mfa();
        Mfa registration = mfa == null ? Mfa.UNKNOWN : mfa.getOrDefault(id, Mfa.UNKNOWN);
        return EntraIdMapping.user(node, new EntraIdMapping.Extras(groups, roles, registration), includeRaw);
    }

    /**
     * Every direct user membership of the tenant, read once per connector from the groups and their user members:
     * one request per group (and page) instead of one per user.
     */
    private synchronized Map<String, List<GroupRef>> memberships() {
        if (memberships == null) {
            Map<String, List<GroupRef>> byUser = new HashMap<>();
            for (JsonNode group : api.all("/groups?$select=id,displayName&$top=" + MAX_TOP)) {
                GroupRef ref = EntraIdMapping.groupRef(group);
                for (JsonNode member : api.all("/groups/" + segment(ref.remoteId())
                        + "/members/microsoft.graph.user?$select=id&$top=" + MAX_TOP)) {
                    byUser.computeIfAbsent(member.path("id").asText(), k -> new ArrayList<>())
                            .add(ref);
                }
            }
            memberships = byUser;
        }
        return memberships;
    }

    // ---- groups ----

    @Override
    public Page<Group> listGroups(GroupQuery query) {
        String path = query.cursor() != null
                ? api.relative(query.cursor())
                : "/groups?$select=id,displayName,description,createdDateTime,groupTypes,securityEnabled,mailEnabled"
                        + "&$top=" + Math.min(query.pageSize(), MAX_TOP)
                        + (query.name() == null ? "" : "&$filter=" + encode("displayName eq " + literal(query.name())));
        JsonNode page = api.get(path);
        List<Group> groups = new ArrayList<>();
        for (JsonNode node : page.path("value")) {
            groups.add(group(node, query.includeMembers(), query.includeRaw()));
        }
        return Page.of(
                groups,
                api.nextLink(page)
                        .map(n -> "https://" + api.host() + "/v1.0" + n)
                        .orElse(null));
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return api.find("/groups/" + segment(remoteId)
                        + "?$select=id,displayName,description,createdDateTime,groupTypes,securityEnabled,mailEnabled")
                .map(node -> group(node, true, includeRaw));
    }

    /** Members are the group's direct user members; nested groups and devices are not people. */
    private Group group(JsonNode node, boolean includeMembers, boolean includeRaw) {
        List<MemberRef> members = null;
        if (includeMembers) {
            members = api
                    .all("/groups/" + segment(node.path("id").asText()) + "/members/microsoft.graph.user"
                            + "?$select=id,userPrincipalName&$top=" + MAX_TOP)
                    .stream()
                    .map(EntraIdMapping::member)
                    .toList();
        }
        return EntraIdMapping.group(node, members, includeRaw);
    }

    // ---- roles ----

    @Override
    public Page<Role> listRoles(RoleQuery query) {
        OptionalReads.RoleIndex index = requireRoles();
        int from = offset(query.cursor());
        List<JsonNode> definitions = index.definitions();
        int to = Math.min(definitions.size(), from + query.pageSize());
        List<Role> roles = new ArrayList<>();
        for (JsonNode definition : definitions.subList(Math.min(from, to), to)) {
            roles.add(index.map(definition, query.includeAssignments(), query.includeRaw()));
        }
        return Page.of(roles, to < definitions.size() ? String.valueOf(to) : null);
    }

    @Override
    public Optional<Role> getRole(String remoteId, boolean includeRaw) {
        return requireRoles().role(remoteId, true, includeRaw);
    }

    private OptionalReads.RoleIndex requireRoles() {
        OptionalReads.RoleIndex index = optional.roles();
        if (index == null) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "Microsoft Graph refused to read the directory roles: grant admin consent for the "
                                    + "application permission RoleManagement.Read.Directory in the app "
                                    + "registration's API permissions.")
                    .messageCode(EntraIdConnectorFactory.CODE + ".roles_permission_missing")
                    .param(RoleDirectory.MISSING_PERMISSION, OptionalReads.ROLE_MANAGEMENT)
                    .build();
        }
        return index;
    }

    // ---- changes ----

    @Override
    public String currentWatermark() {
        return new EntraChanges(api, this::getUser).currentWatermark();
    }

    @Override
    public UserChanges userChanges(String watermark, String cursor, int pageSize, boolean includeRaw) {
        return new EntraChanges(api, this::getUser).changes(watermark, cursor, pageSize, includeRaw);
    }

    // ---- helpers ----

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
            // refused below
        }
        throw ConnectorException.builder(ErrorCode.INVALID_CONFIG, "The page cursor is not one Keyline handed out.")
                .messageCode(EntraIdConnectorFactory.CODE + ".cursor_invalid")
                .build();
    }

    /** An OData string literal: single quotes doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String segment(String text) {
        return encode(text);
    }

    /** Nothing to release: the transport and the authorization belong to the platform. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "EntraIdConnector[" + api + "]";
    }
}
