package dev.keyline.connector.templatejson;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.User;
import dev.keyline.connector.tck.json.JsonApiDouble;
import dev.keyline.connector.tck.json.Paging;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HR API this template reads, as a {@link JsonApiDouble}: the records {@link TemplateMapping} documents,
 * rendered from the users and groups a test expects, under {@code /api/v1} with cursor paging.
 */
final class TemplateHrApi {
    private TemplateHrApi() {}

    static JsonApiDouble.Builder serving(List<User> users, List<Group> groups) {
        JsonApiDouble.Builder builder = JsonApiDouble.builder()
                .basePath("/api/v1")
                .paging(Paging.OPAQUE_CURSOR)
                .pageSizes(50, 200)
                .collection(
                        TemplateConnector.USERS,
                        users.stream().map(TemplateHrApi::user).toList())
                .collection(
                        TemplateConnector.GROUPS,
                        groups.stream().map(TemplateHrApi::group).toList());
        for (Group group : groups) {
            List<MemberRef> members = group.members() == null ? List.of() : group.members();
            builder.collection(
                    TemplateConnector.GROUPS + "/" + group.remoteId() + "/members",
                    members.stream().map(TemplateHrApi::member).toList());
        }
        return builder;
    }

    static Map<String, Object> user(User user) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", user.remoteId());
        record.put("email", user.username());
        record.put("first_name", user.firstName());
        record.put("last_name", user.lastName());
        record.put("display_name", user.name());
        record.put("status", user.status().sourceValue());
        List<Map<String, Object>> emails = new ArrayList<>();
        for (Email email : user.emails()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", email.value());
            e.put("type", email.type());
            e.put("primary", email.primary());
            emails.add(e);
        }
        record.put("emails", emails);
        List<Map<String, Object>> groups = new ArrayList<>();
        for (GroupRef ref : user.groups()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("id", ref.remoteId());
            g.put("name", ref.name());
            groups.add(g);
        }
        record.put("groups", groups);
        record.put(
                "created_at", user.createdAt() == null ? null : user.createdAt().toString());
        record.put(
                "updated_at", user.updatedAt() == null ? null : user.updatedAt().toString());
        return record;
    }

    static Map<String, Object> group(Group group) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", group.remoteId());
        record.put("name", group.name());
        record.put("description", group.description());
        record.put(
                "created_at",
                group.createdAt() == null ? null : group.createdAt().toString());
        record.put(
                "updated_at",
                group.updatedAt() == null ? null : group.updatedAt().toString());
        return record;
    }

    static Map<String, Object> member(MemberRef member) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", member.remoteId());
        record.put("email", member.username());
        return record;
    }
}
