package dev.keyline.connector.onepassword;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The privilege 1Password's built-in groups give, read from a double with an owner, an admin and a member. */
class OnePasswordPrivilegeTest {
    private final List<String> ids = new ArrayList<>();
    private final ScimUpstream upstream = ScimUpstream.builder()
            .users(4)
            .groups(2)
            .setup(directory -> {
                ScimUser owner =
                        directory.addUser("olivia@acme.example", "olivia@acme.example", "Olivia", "Owner", null, true);
                ScimUser admin =
                        directory.addUser("adam@acme.example", "adam@acme.example", "Adam", "Admin", null, true);
                ScimUser member =
                        directory.addUser("mia@acme.example", "mia@acme.example", "Mia", "Member", null, true);
                ScimUser auditor =
                        directory.addUser("sam@acme.example", "sam@acme.example", "Sam", "Security", null, true);
                directory.addGroup("Owners", List.of(owner.id()));
                directory.addGroup("Administrators", List.of(admin.id()));
                directory.addGroup("Security", List.of(auditor.id()));
                directory.addGroup("Team Members", List.of(owner.id(), admin.id(), member.id(), auditor.id()));
                directory.addMember(directory.groups().get(0).id(), member.id());
                ids.addAll(List.of(owner.id(), admin.id(), member.id(), auditor.id()));
            })
            .start();

    @AfterEach
    void stop() {
        upstream.close();
    }

    private OnePasswordConnector connector() {
        return OnePasswordUpstreamTest.connector(upstream, UrlForm.BRIDGE);
    }

    private Map<String, User> users() {
        return OnePasswordUpstreamTest.allUsers(connector(), 3).stream()
                .collect(Collectors.toMap(User::remoteId, Function.identity()));
    }

    @Test
    void builtInGroupsAreMarkedAndCustomGroupsAreUnknown() {
        List<Group> groups = connector().listGroups(GroupQuery.all(100)).items();
        Map<String, Group> byName = groups.stream().collect(Collectors.toMap(Group::name, Function.identity()));

        assertThat(byName.get("Owners").privileged()).isTrue();
        assertThat(byName.get("Administrators").privileged()).isTrue();
        assertThat(byName.get("Security").privileged()).isFalse();
        assertThat(byName.get("Team Members").privileged()).isFalse();
        String custom = upstream.directory().groups().get(0).displayName();
        assertThat(byName.get(custom).privileged())
                .as("custom group %s", custom)
                .isNull();
        String ownersId = byName.get("Owners").remoteId();
        assertThat(connector().getGroup(ownersId, false))
                .hasValueSatisfying(g -> assertThat(g.privileged()).isTrue());
    }

    @Test
    void membersOfAdministrativeGroupsArePrivilegedAndOthersUnknown() {
        Map<String, User> users = users();

        assertThat(users.get(ids.get(0)).privileged()).as("owner").isTrue();
        assertThat(users.get(ids.get(1)).privileged()).as("administrator").isTrue();
        assertThat(users.get(ids.get(2)).privileged())
                .as("team member in a custom group")
                .isNull();
        assertThat(users.get(ids.get(3)).privileged()).as("security").isNull();
        assertThat(users.values().stream()
                        .filter(u -> !ids.contains(u.remoteId()))
                        .map(User::privileged))
                .as("generated users in custom groups only")
                .containsOnlyNulls();
        assertThat(connector().getUser(ids.get(0), false))
                .hasValueSatisfying(u -> assertThat(u.privileged()).isTrue());
    }

    @Test
    void aUsersGroupReferencesCarryTheGroupsMark() {
        User member = users().get(ids.get(2));
        Map<String, Boolean> marks = new HashMap<>();
        for (GroupRef ref : member.groups()) {
            marks.put(ref.name(), ref.privileged());
        }

        assertThat(marks).containsEntry("Team Members", false);
        assertThat(marks).containsKey(upstream.directory().groups().get(0).displayName());
        assertThat(marks.get(upstream.directory().groups().get(0).displayName()))
                .isNull();
    }
}
