package dev.keyline.connector.okta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.RoleDirectory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Admin role assignments without one request per user: {@code /api/v1/iam/assignees/users} names the users who hold
 * any admin role, and only their {@code /api/v1/users/{id}/roles} are read; group assignments come from
 * {@code /api/v1/groups/{id}/roles}. Okta has no listing of roles nobody holds, so the roles reported are those
 * assigned to someone.
 */
final class OktaRoles {
    /**
     * How long the holders and their roles are reused: every page of a user listing needs them, and a walk of the
     * assignees listing per page would cost a sync of 10,000 users fifty walks. A role granted meanwhile shows up
     * within this time.
     */
    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final OktaApi api;
    private volatile Holders holders;

    /** The users holding admin roles, as read at {@code readAt}, and the roles of those asked for since. */
    private record Holders(long readAt, Optional<Set<String>> ids, Map<String, List<RoleRef>> roles) {}

    OktaRoles(OktaApi api) {
        this.api = api;
    }

    /** Ids of the users holding an admin role, or empty when the grant may not read role assignments (403). */
    Optional<Set<String>> assignees() {
        return current().ids();
    }

    private Holders current() {
        Holders known = holders;
        if (known == null || System.nanoTime() - known.readAt() > REUSE_NANOS) {
            known = new Holders(System.nanoTime(), readAssignees(), new ConcurrentHashMap<>());
            holders = known;
        }
        return known;
    }

    private Optional<Set<String>> readAssignees() {
        try {
            List<String> ids = new ArrayList<>();
            String next = "/api/v1/iam/assignees/users?limit=100";
            while (next != null) {
                JsonNode body = api.json(api.require(api.get(next)));
                body.path("value").forEach(v -> ids.add(v.path("id").asText()));
                String href = OktaMapping.text(body.path("_links").path("next"), "href");
                next = href == null ? null : pathOf(href);
            }
            return Optional.of(Set.copyOf(ids));
        } catch (ConnectorException e) {
            if (forbidden(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The roles a user holds, directly or through a group. */
    List<RoleRef> rolesOf(String userId) {
        return current().roles().computeIfAbsent(userId, this::readRolesOf);
    }

    private List<RoleRef> readRolesOf(String userId) {
        return api.all("/api/v1/users/" + OktaApi.encode(userId) + "/roles").stream()
                .map(OktaMapping::roleRef)
                .distinct()
                .toList();
    }

    /** Every role held by someone, in a stable order, with its direct user and group assignments. */
    List<Role> all(boolean includeAssignments, boolean includeRaw) {
        Map<String, Role.Builder> roles = new LinkedHashMap<>();
        Map<String, List<MemberRef>> members = new HashMap<>();
        Map<String, List<GroupRef>> groups = new HashMap<>();
        Set<String> holders = assignees().orElseThrow(OktaRoles::rolesForbidden);
        for (String userId : holders.stream().sorted().toList()) {
            for (JsonNode assignment : api.all("/api/v1/users/" + OktaApi.encode(userId) + "/roles")) {
                String id = declare(roles, assignment, includeRaw);
                if ("USER".equals(OktaMapping.text(assignment, "assignmentType"))) {
                    members.computeIfAbsent(id, k -> new ArrayList<>()).add(new MemberRef(userId, null));
                }
            }
        }
        for (JsonNode group : api.all("/api/v1/groups?limit=10000")) {
            String groupId = group.path("id").asText();
            for (JsonNode assignment : api.all("/api/v1/groups/" + OktaApi.encode(groupId) + "/roles")) {
                String id = declare(roles, assignment, includeRaw);
                groups.computeIfAbsent(id, k -> new ArrayList<>()).add(OktaMapping.groupRef(group));
            }
        }
        List<Role> result = new ArrayList<>(roles.size());
        roles.forEach((id, builder) -> {
            if (includeAssignments) {
                builder.members(members.getOrDefault(id, List.of())).groups(groups.getOrDefault(id, List.of()));
            }
            result.add(builder.build());
        });
        result.sort(Comparator.comparing(Role::remoteId));
        return result;
    }

    private static String declare(Map<String, Role.Builder> roles, JsonNode assignment, boolean includeRaw) {
        String id = OktaMapping.roleId(assignment);
        roles.computeIfAbsent(
                id,
                k -> Role.builder(id)
                        .name(OktaMapping.text(assignment, "label"))
                        .privileged(OktaMapping.privileged(assignment))
                        .scope(OktaMapping.scope(assignment))
                        .raw(includeRaw ? OktaMapping.raw(assignment) : null));
        return id;
    }

    static boolean forbidden(ConnectorException e) {
        return e.messageCode().equals("okta.permission_denied")
                || e.messageCode().equals("okta.app_permission_denied");
    }

    private static ConnectorException rolesForbidden() {
        return ConnectorException.builder(
                        ErrorCode.INVALID_CREDENTIALS,
                        "Okta refused to list admin role assignments: grant okta.roles.read to the service app, or "
                                + "use a token of a Read-only Administrator.")
                .messageCode("okta.roles_permission_denied")
                .param(RoleDirectory.MISSING_PERMISSION, "okta.roles.read")
                .build();
    }

    static String pathOf(String href) {
        URI uri = URI.create(href);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
