package dev.keyline.connector.googleworkspace;

import static dev.keyline.connector.googleworkspace.DirectoryApi.encode;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
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
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Google Workspace customer: validation, users, groups with their direct user members, and admin roles with
 * their assignments. Paging is Google's {@code maxResults}/{@code pageToken}; the cursor is Google's
 * {@code nextPageToken}. Users carry no groups or roles: the Directory lists memberships on groups and assignments on
 * the role side, and the platform joins them when it syncs (one request per user would be needed otherwise).
 */
final class GoogleWorkspaceConnector
        implements Connector, CredentialValidator, UserDirectory, GroupDirectory, RoleDirectory {
    /** Documented maxima of {@code maxResults} (discovery document {@code admin:directory_v1}). */
    static final int MAX_USERS = 500;

    static final int MAX_GROUPS = 200;
    static final int MAX_MEMBERS = 200;
    static final int MAX_ROLES = 100;
    static final int MAX_ASSIGNMENTS = 200;

    private final DirectoryApi api;

    GoogleWorkspaceConnector(DirectoryApi api) {
        this.api = requireNonNull(api, "api is null");
    }

    private String customerQuery() {
        return "customer=" + encode(api.customer());
    }

    private String customerPath() {
        return "/customer/" + encode(api.customer());
    }

    /**
     * One page of users (up to 500, for the count) and one role assignment (whether roles may be read). A refused
     * role probe is no failure: roles are optional, and a fact says which grant would fill them.
     */
    @Override
    public Validation validate() {
        JsonNode users = api.list("/users?" + customerQuery() + "&maxResults=" + MAX_USERS);
        int count = users.path("users").size();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("customer", api.customer());
        boolean more = !users.path("nextPageToken").asText("").isEmpty();
        facts.put(more ? "users_at_least" : "users", String.valueOf(count));
        Set<String> granted = api.authorization().grantedScopes();
        boolean rolesGranted = granted.isEmpty() || granted.contains(GoogleWorkspaceConnectorFactory.SCOPE_ROLES);
        if (rolesGranted) {
            try {
                api.list(customerPath() + "/roleassignments?maxResults=1");
            } catch (ConnectorException e) {
                if (e.code() != ErrorCode.INVALID_CREDENTIALS) {
                    throw e;
                }
                rolesGranted = false;
            }
        }
        if (!rolesGranted) {
            facts.put(
                    "missing_permission.roles",
                    GoogleWorkspaceConnectorFactory.SCOPE_ROLES + " (and an admin role that may read admin roles)");
        }
        String counted = (more ? "at least " : "") + count + " users";
        return new Validation(
                "Connected to Google Workspace customer " + api.customer() + " (" + counted + ")"
                        + (rolesGranted ? "." : "; admin roles cannot be read."),
                facts);
    }

    @Override
    public Page<User> listUsers(UserQuery query) {
        if (query.email() != null || query.username() != null) {
            // Both are the primary address in Google, which is also a user key: one lookup, no scan.
            String key = query.email() != null ? query.email() : query.username();
            List<User> found = getUser(key, query.includeRaw())
                    .filter(u -> matches(u, query))
                    .map(List::of)
                    .orElse(List.of());
            return Page.last(found);
        }
        StringBuilder path = new StringBuilder("/users?")
                .append(customerQuery())
                .append("&maxResults=")
                .append(Math.min(query.pageSize(), MAX_USERS));
        if (query.cursor() != null) {
            path.append("&pageToken=").append(encode(query.cursor()));
        }
        JsonNode page = api.list(path.toString());
        List<User> users = new ArrayList<>();
        for (JsonNode node : page.path("users")) {
            User user = DirectoryMapping.user(node, query.includeRaw());
            if (query.status() == null || query.status() == user.status().value()) {
                users.add(user);
            }
        }
        return Page.of(users, next(page));
    }

    private static boolean matches(User user, UserQuery query) {
        if (query.email() != null && !query.email().equalsIgnoreCase(user.primaryEmailAddress())) {
            return false;
        }
        if (query.username() != null && !query.username().equalsIgnoreCase(user.username())) {
            return false;
        }
        return query.status() == null || query.status() == user.status().value();
    }

    @Override
    public Optional<User> getUser(String remoteId, boolean includeRaw) {
        return api.find("/users/" + encode(remoteId)).map(node -> DirectoryMapping.user(node, includeRaw));
    }

    @Override
    public Page<Group> listGroups(GroupQuery query) {
        StringBuilder path = new StringBuilder("/groups?")
                .append(customerQuery())
                .append("&maxResults=")
                .append(Math.min(query.pageSize(), MAX_GROUPS));
        if (query.cursor() != null) {
            path.append("&pageToken=").append(encode(query.cursor()));
        }
        JsonNode page = api.list(path.toString());
        List<Group> groups = new ArrayList<>();
        for (JsonNode node : page.path("groups")) {
            String name = DirectoryMapping.text(node, "name");
            if (query.name() == null
                    || (name != null
                            && name.toLowerCase(Locale.ROOT).equals(query.name().toLowerCase(Locale.ROOT)))) {
                groups.add(group(node, query.includeMembers(), query.includeRaw()));
            }
        }
        return Page.of(groups, next(page));
    }

    @Override
    public Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return api.find("/groups/" + encode(remoteId)).map(node -> group(node, true, includeRaw));
    }

    private Group group(JsonNode node, boolean includeMembers, boolean includeRaw) {
        List<MemberRef> members = null;
        if (includeMembers) {
            List<MemberRef> found = new ArrayList<>();
            walk(
                    "/groups/" + encode(DirectoryMapping.text(node, "id")) + "/members?maxResults=" + MAX_MEMBERS,
                    "members",
                    member -> {
                        MemberRef ref = DirectoryMapping.member(member);
                        if (ref != null) {
                            found.add(ref);
                        }
                    });
            members = found;
        }
        return DirectoryMapping.group(node, members, includeRaw);
    }

    @Override
    public Page<Role> listRoles(RoleQuery query) {
        StringBuilder path = new StringBuilder(customerPath())
                .append("/roles?maxResults=")
                .append(Math.min(query.pageSize(), MAX_ROLES));
        if (query.cursor() != null) {
            path.append("&pageToken=").append(encode(query.cursor()));
        }
        JsonNode page;
        Map<String, Assignments> assignments;
        try {
            page = api.list(path.toString());
            assignments = query.includeAssignments() ? assignments(null) : Map.of();
        } catch (ConnectorException e) {
            throw rolesRefused(e);
        }
        List<Role> roles = new ArrayList<>();
        for (JsonNode node : page.path("items")) {
            roles.add(role(node, query.includeAssignments(), assignments, query.includeRaw()));
        }
        return Page.of(roles, next(page));
    }

    @Override
    public Optional<Role> getRole(String remoteId, boolean includeRaw) {
        return api.find(customerPath() + "/roles/" + encode(remoteId))
                .map(node -> role(node, true, assignments(remoteId), includeRaw));
    }

    /**
     * A 403 on the admin roles means the grant may not read them (the scope or the administrator's privileges):
     * roles are optional, so the failure says which permission would fill them and the platform syncs without.
     */
    private static ConnectorException rolesRefused(ConnectorException e) {
        if (e.code() != ErrorCode.INVALID_CREDENTIALS) {
            return e;
        }
        return e.toBuilder()
                .param(RoleDirectory.MISSING_PERMISSION, GoogleWorkspaceConnectorFactory.SCOPE_ROLES)
                .build();
    }

    private static Role role(
            JsonNode node, boolean includeAssignments, Map<String, Assignments> assignments, boolean includeRaw) {
        if (!includeAssignments) {
            return DirectoryMapping.role(node, null, null, includeRaw);
        }
        Assignments of = assignments.getOrDefault(DirectoryMapping.text(node, "roleId"), new Assignments());
        return DirectoryMapping.role(node, of.users, of.groups, includeRaw);
    }

    /** Who holds each role: every assignment of the customer (or of one role), read at once, never per user. */
    private Map<String, Assignments> assignments(String roleId) {
        Map<String, Assignments> byRole = new LinkedHashMap<>();
        String path = customerPath() + "/roleassignments?maxResults=" + MAX_ASSIGNMENTS
                + (roleId == null ? "" : "&roleId=" + encode(roleId));
        walk(path, "items", node -> {
            String role = DirectoryMapping.text(node, "roleId");
            String assignee = DirectoryMapping.text(node, "assignedTo");
            if (role == null || assignee == null) {
                return;
            }
            Assignments of = byRole.computeIfAbsent(role, r -> new Assignments());
            if ("group".equals(DirectoryMapping.text(node, "assigneeType"))) {
                if (of.groups.stream().noneMatch(g -> g.remoteId().equals(assignee))) {
                    of.groups.add(new GroupRef(assignee, null));
                }
            } else if (of.users.stream().noneMatch(m -> m.remoteId().equals(assignee))) {
                of.users.add(new MemberRef(assignee, null));
            }
        });
        return byRole;
    }

    /** Direct holders of one role; an assignment scoped to an organisational unit counts as held. */
    private static final class Assignments {
        final List<MemberRef> users = new ArrayList<>();
        final List<GroupRef> groups = new ArrayList<>();
    }

    /** Every item of a page-token listing, following {@code nextPageToken} to its end. */
    private void walk(String path, String itemsKey, Consumer<JsonNode> sink) {
        String token = null;
        Set<String> seen = new java.util.HashSet<>();
        do {
            JsonNode page = api.list(path + (token == null ? "" : "&pageToken=" + encode(token)));
            page.path(itemsKey).forEach(sink);
            token = next(page);
            if (token != null && !seen.add(token)) {
                throw ConnectorException.builder(
                                ErrorCode.UPSTREAM_ERROR, "Google returned the same page twice while listing; stopped.")
                        .messageCode(GoogleWorkspaceConnectorFactory.CODE + ".paging_loop")
                        .build();
            }
        } while (token != null);
    }

    private static String next(JsonNode page) {
        String token = page.path("nextPageToken").asText("");
        return token.isEmpty() ? null : token;
    }

    /** Nothing to release: the transport and the authorization belong to the platform. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "GoogleWorkspaceConnector[" + api + "]";
    }
}
