package dev.keyline.scimdouble;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns directory records into 1Password-shaped SCIM JSON trees, with the enabled quirks applied. */
final class ScimRenderer {
    private final String base;
    private final Set<Quirk> quirks;
    private final ScimDirectory.Snapshot snapshot;

    /**
     * @param base the SCIM base the request came through, for {@code location} and {@code $ref}
     * @param snapshot the directory the references are resolved in; null renders no group references
     */
    ScimRenderer(String base, Set<Quirk> quirks, ScimDirectory.Snapshot snapshot) {
        this.base = base;
        this.quirks = quirks;
        this.snapshot = snapshot;
    }

    Map<String, Object> user(ScimUser user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(
                "schemas",
                user.hasEnterpriseExtension()
                        ? List.of(ScimHandler.USER_SCHEMA, ScimHandler.ENTERPRISE_USER_SCHEMA)
                        : List.of(ScimHandler.USER_SCHEMA));
        json.put("id", user.id());
        json.put("userName", user.userName());
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("formatted", user.formattedName());
        name.put("familyName", user.familyName());
        name.put("givenName", user.givenName());
        json.put("name", name);
        json.put("displayName", user.displayName());
        if (user.title() != null) {
            json.put("title", user.title());
        }
        if (user.userType() != null) {
            json.put("userType", user.userType());
        }
        json.put("active", user.active());
        List<Object> emails = new ArrayList<>(user.emails().size());
        for (ScimEmail email : user.emails()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", email.value());
            entry.put("primary", email.primary());
            entry.put("type", email.type());
            emails.add(entry);
        }
        json.put("emails", emails);
        json.put("preferredLanguage", user.preferredLanguage());
        if (!user.roles().isEmpty()) {
            List<Object> roles = new ArrayList<>(user.roles().size());
            for (ScimRole role : user.roles()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("value", role.value());
                if (role.display() != null) {
                    entry.put("display", role.display());
                }
                entry.put("primary", role.primary());
                roles.add(entry);
            }
            json.put("roles", roles);
        }
        if (!quirks.contains(Quirk.MEMBERSHIP_ON_GROUPS_ONLY)) {
            json.put("groups", groupRefs(user));
        }
        if (user.hasEnterpriseExtension()) {
            Map<String, Object> enterprise = new LinkedHashMap<>();
            if (user.department() != null) {
                enterprise.put("department", user.department());
            }
            if (user.managerId() != null) {
                Map<String, Object> manager = new LinkedHashMap<>();
                manager.put("value", user.managerId());
                manager.put("$ref", base + "/Users/" + user.managerId());
                enterprise.put("manager", manager);
            }
            json.put(ScimHandler.ENTERPRISE_USER_SCHEMA, enterprise);
        }
        json.put("meta", meta("User", user.created(), user.lastModified(), base + "/Users/" + user.id()));
        return json;
    }

    private List<Object> groupRefs(ScimUser user) {
        List<Object> groups = new ArrayList<>(user.groupIds().size());
        if (snapshot != null) {
            String refKey = quirks.contains(Quirk.GROUP_REF_WITHOUT_DOLLAR) ? "ref" : "$ref";
            for (String groupId : user.groupIds()) {
                ScimGroup group = snapshot.groupsById().get(groupId);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("value", groupId);
                entry.put("display", group == null ? null : group.displayName());
                entry.put(refKey, base + "/Groups/" + groupId);
                groups.add(entry);
            }
        }
        return groups;
    }

    /** A group; {@code display} of each member is the member's userName. */
    Map<String, Object> group(ScimGroup group, boolean withMembers) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemas", List.of(ScimHandler.GROUP_SCHEMA));
        json.put("id", group.id());
        json.put("displayName", group.displayName());
        if (withMembers) {
            List<ScimUser> members = snapshot.members(group.id());
            List<Object> entries = new ArrayList<>(members.size());
            for (ScimUser member : members) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("value", member.id());
                if (!quirks.contains(Quirk.MEMBERS_WITHOUT_DISPLAY)) {
                    entry.put("display", member.userName());
                }
                entry.put("$ref", base + "/Users/" + member.id());
                entries.add(entry);
            }
            json.put("members", entries);
        }
        json.put("meta", meta("Group", group.created(), group.lastModified(), base + "/Groups/" + group.id()));
        return json;
    }

    private Map<String, Object> meta(String resourceType, Instant created, Instant lastModified, String location) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceType", resourceType);
        if (quirks.contains(Quirk.META_RESOURCE_TYPE_ONLY)) {
            return meta;
        }
        boolean empty = quirks.contains(Quirk.META_EMPTY_TIMESTAMPS);
        meta.put("created", empty ? "" : created.toString());
        meta.put("lastModified", empty ? "" : lastModified.toString());
        meta.put("location", location);
        return meta;
    }

    Map<String, Object> resourceTypes() {
        String userEndpoint = quirks.contains(Quirk.SINGULAR_USER_ENDPOINT) ? "/scim/v2/User" : "/Users";
        List<Object> resources = List.of(
                resourceType("User", userEndpoint, "User Account", ScimHandler.USER_SCHEMA),
                resourceType("Group", "/Groups", "Group", ScimHandler.GROUP_SCHEMA));
        return listResponse(resources);
    }

    private Map<String, Object> resourceType(String id, String endpoint, String description, String schema) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:ResourceType"));
        json.put("id", id);
        json.put("name", id);
        json.put("endpoint", endpoint);
        json.put("description", description);
        json.put("schema", schema);
        json.put("meta", Map.of("resourceType", "ResourceType", "location", base + "/ResourceTypes/" + id));
        return json;
    }

    Map<String, Object> serviceProviderConfig() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"));
        json.put("documentationUri", "https://support.1password.com/scim/");
        json.put("patch", Map.of("supported", true));
        json.put("bulk", Map.of("supported", false, "maxOperations", 0, "maxPayloadSize", 0));
        json.put("filter", Map.of("supported", true, "maxResults", 1000));
        json.put("changePassword", Map.of("supported", false));
        json.put("sort", Map.of("supported", false));
        json.put("etag", Map.of("supported", false));
        Map<String, Object> bearer = new LinkedHashMap<>();
        bearer.put("type", "oauthbearertoken");
        bearer.put("name", "OAuth Bearer Token");
        bearer.put("description", "Authentication scheme using the OAuth Bearer Token Standard");
        bearer.put("primary", true);
        json.put("authenticationSchemes", List.of(bearer));
        json.put("meta", Map.of("resourceType", "ServiceProviderConfig", "location", base + "/ServiceProviderConfig"));
        return json;
    }

    Map<String, Object> schemas() {
        return listResponse(List.of(
                Map.of("id", ScimHandler.USER_SCHEMA, "name", "User"),
                Map.of("id", ScimHandler.GROUP_SCHEMA, "name", "Group")));
    }

    private Map<String, Object> listResponse(List<Object> resources) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemas", List.of(ScimHandler.LIST_SCHEMA));
        json.put("totalResults", resources.size());
        json.put("itemsPerPage", resources.size());
        json.put("startIndex", quirks.contains(Quirk.START_INDEX_ZERO) ? 0 : 1);
        json.put("Resources", resources);
        return json;
    }
}
