package dev.keyline.connector.entraid;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.RoleScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What needs a permission the customer may not have granted: sign-in activity and the MFA registration report
 * (AuditLog.Read.All, Entra ID P1/P2) and directory roles (RoleManagement.Read.Directory). A 403 on one of them
 * leaves its fields null instead of failing; the tenant-wide lists are read once per connector.
 */
final class OptionalReads {
    static final String AUDIT_LOG = "AuditLog.Read.All";
    static final String ROLE_MANAGEMENT = "RoleManagement.Read.Directory";
    /** Graph's code when the tenant lacks the Entra ID P1/P2 licence sign-in activity needs. */
    static final String NON_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

    private final GraphApi api;
    private volatile Boolean signInReadable;
    private Map<String, Mfa> mfa;
    private boolean mfaLoaded;
    private RoleIndex roles;
    private boolean rolesLoaded;

    OptionalReads(GraphApi api) {
        this.api = requireNonNull(api, "api is null");
    }

    /** The role definitions and their assignments, indexed. */
    record RoleIndex(
            List<JsonNode> definitions,
            Map<String, List<JsonNode>> assignmentsByRole,
            Map<String, List<RoleRef>> byPrincipal) {

        static RoleIndex of(List<JsonNode> definitions, Map<String, List<JsonNode>> assignmentsByRole) {
            return new RoleIndex(definitions, assignmentsByRole, byPrincipal(definitions, assignmentsByRole));
        }

        Optional<Role> role(String id, boolean includeAssignments, boolean includeRaw) {
            return definitions.stream()
                    .filter(d -> d.path("id").asText().equals(id))
                    .findFirst()
                    .map(d -> map(d, includeAssignments, includeRaw));
        }

        Role map(JsonNode definition, boolean includeAssignments, boolean includeRaw) {
            String id = definition.path("id").asText();
            List<String> permissions = new ArrayList<>();
            definition
                    .path("rolePermissions")
                    .forEach(p -> p.path("allowedResourceActions").forEach(a -> permissions.add(a.asText())));
            boolean orgWide = false;
            for (JsonNode scope : definition.path("resourceScopes")) {
                orgWide |= scope.asText().equals("/");
            }
            Role.Builder role = Role.builder(id)
                    .name(EntraIdMapping.text(definition, "displayName"))
                    .description(EntraIdMapping.text(definition, "description"))
                    .privileged(privileged(definition))
                    .scope(orgWide ? RoleScope.ORG_WIDE : null)
                    .permissions(permissions)
                    .raw(includeRaw ? EntraIdMapping.raw(definition) : null);
            if (includeAssignments) {
                List<MemberRef> members = new ArrayList<>();
                List<GroupRef> groups = new ArrayList<>();
                for (JsonNode assignment : assignmentsByRole.getOrDefault(id, List.of())) {
                    JsonNode principal = assignment.path("principal");
                    String type = principal.path("@odata.type").asText("");
                    String principalId = assignment.path("principalId").asText();
                    if (type.equals("#microsoft.graph.user")) {
                        members.add(new MemberRef(principalId, EntraIdMapping.text(principal, "userPrincipalName")));
                    } else if (type.equals("#microsoft.graph.group")) {
                        groups.add(new GroupRef(principalId, EntraIdMapping.text(principal, "displayName")));
                    }
                }
                role.members(members).groups(groups);
            }
            return role.build();
        }

        /** The roles assigned directly to each principal, built once per index. */
        private static Map<String, List<RoleRef>> byPrincipal(
                List<JsonNode> definitions, Map<String, List<JsonNode>> assignmentsByRole) {
            Map<String, List<RoleRef>> out = new HashMap<>();
            for (JsonNode definition : definitions) {
                String id = definition.path("id").asText();
                RoleRef ref = new RoleRef(id, EntraIdMapping.text(definition, "displayName"), privileged(definition));
                for (JsonNode assignment : assignmentsByRole.getOrDefault(id, List.of())) {
                    out.computeIfAbsent(assignment.path("principalId").asText(), k -> new ArrayList<>())
                            .add(ref);
                }
            }
            return out;
        }

        private static Boolean privileged(JsonNode definition) {
            return PrivilegedRoles.of(definition);
        }
    }

    /** Whether {@code signInActivity} may be selected; probes once when nobody knows yet. */
    boolean signInReadable() {
        Boolean known = signInReadable;
        if (known == null) {
            known = probe("/users?$select=id,signInActivity&$top=1").isEmpty();
            signInReadable = known;
        }
        return known;
    }

    /** Records that a request with {@code signInActivity} was refused. */
    void signInRefused() {
        signInReadable = false;
    }

    /** Records that a request with {@code signInActivity} was answered. */
    void signInAnswered() {
        signInReadable = true;
    }

    /**
     * Empty when the request succeeded; else the Graph error code of its 403 (the permission is missing). Any other
     * failure is thrown.
     */
    Optional<String> probe(String pathAndQuery) {
        HttpResponse response = api.send(pathAndQuery);
        if (response.status() == 403) {
            return Optional.of(GraphApi.errorCode(response));
        }
        api.require(response);
        return Optional.empty();
    }

    /** The MFA registration of each user from the registration-details report; null when it may not be read. */
    synchronized Map<String, Mfa> mfa() {
        if (!mfaLoaded) {
            String path = "/reports/authenticationMethods/userRegistrationDetails"
                    + "?$select=id,isMfaRegistered,methodsRegistered";
            if (probe(path + "&$top=1").isEmpty()) {
                Map<String, Mfa> out = new HashMap<>();
                for (JsonNode row : api.all(path)) {
                    List<String> methods = new ArrayList<>();
                    row.path("methodsRegistered").forEach(m -> methods.add(m.asText()));
                    JsonNode registered = row.get("isMfaRegistered");
                    out.put(
                            row.path("id").asText(),
                            new Mfa(
                                    registered != null && registered.isBoolean() ? registered.asBoolean() : null,
                                    methods));
                }
                mfa = out;
            }
            mfaLoaded = true;
        }
        return mfa;
    }

    /** The directory's role definitions and assignments; null when RoleManagement.Read.Directory is missing. */
    synchronized RoleIndex roles() {
        if (!rolesLoaded) {
            String definitions = "/roleManagement/directory/roleDefinitions";
            if (probe(definitions + "?$select=id&$top=1").isEmpty()) {
                Map<String, List<JsonNode>> byRole = new LinkedHashMap<>();
                for (JsonNode assignment : api.all("/roleManagement/directory/roleAssignments?$expand=principal")) {
                    byRole.computeIfAbsent(assignment.path("roleDefinitionId").asText(), k -> new ArrayList<>())
                            .add(assignment);
                }
                roles = RoleIndex.of(api.all(definitions), byRole);
            }
            rolesLoaded = true;
        }
        return roles;
    }
}
