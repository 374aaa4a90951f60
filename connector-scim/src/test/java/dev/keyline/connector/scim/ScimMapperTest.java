package dev.keyline.connector.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScimMapperTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void mapsTheCoreUserAttributes() {
        User user = ScimMapper.user(json("""
                        {"id":"U1","userName":"ada@example.com",
                         "name":{"formatted":"Ada Lovelace","givenName":"Ada","familyName":"Lovelace"},
                         "displayName":"Ada","active":true,
                         "emails":[{"value":"ada@example.com","primary":true,"type":"work"}],
                         "roles":[{"value":"admin"}],
                         "meta":{"resourceType":"User","created":"2024-01-02T03:04:05Z",
                                 "lastModified":"2024-02-03T04:05:06.789+02:00"}}"""), false);

        assertThat(user.remoteId()).isEqualTo("U1");
        assertThat(user.username()).isEqualTo("ada@example.com");
        assertThat(user.name()).isEqualTo("Ada Lovelace");
        assertThat(user.firstName()).isEqualTo("Ada");
        assertThat(user.lastName()).isEqualTo("Lovelace");
        assertThat(user.primaryEmailAddress()).isEqualTo("ada@example.com");
        assertThat(user.emails()).containsExactly(new Email("ada@example.com", "work", true));
        assertThat(user.status()).isEqualTo(new UserStatus(StatusValue.ENABLED, "true"));
        assertThat(user.roles()).containsExactly(RoleRef.named("admin"));
        assertThat(user.createdAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(user.updatedAt()).isEqualTo(Instant.parse("2024-02-03T02:05:06.789Z"));
        assertThat(user.raw()).isNull();
    }

    @Test
    void mapsTheAccessReviewAttributesAndLeavesWhatScimLacksUnknown() {
        User user = ScimMapper.user(json("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                         "id":"U1","userName":"ada@example.com","title":"Countess","userType":"Employee",
                         "roles":[{"value":"r-admin","display":"Administrator","primary":true},{"value":"billing"},"audit"],
                         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                             {"department":"Engines","manager":{"value":"U9","$ref":"https://x.example/scim/v2/Users/U9"}}}
                        """), false);

        assertThat(user.type()).isEqualTo(new UserType(UserTypeValue.MEMBER, "Employee"));
        assertThat(user.title()).isEqualTo("Countess");
        assertThat(user.department()).isEqualTo("Engines");
        assertThat(user.managerRemoteId()).isEqualTo("U9");
        assertThat(user.roles())
                .containsExactly(
                        new RoleRef("r-admin", "Administrator", null),
                        new RoleRef("billing", "billing", null),
                        new RoleRef("audit", "audit", null));
        assertThat(user.privileged()).isNull();
        assertThat(user.mfa()).isEqualTo(Mfa.UNKNOWN);
        assertThat(user.lastLoginAt()).isNull();
    }

    @Test
    void aUserWithoutTheNewAttributesHasThemUnknown() {
        User user = ScimMapper.user(json("{\"id\":\"U\",\"userName\":\"u@example.com\"}"), false);

        assertThat(user.type()).isNull();
        assertThat(user.title()).isNull();
        assertThat(user.department()).isNull();
        assertThat(user.managerRemoteId()).isNull();
        assertThat(user.roles()).isEmpty();
    }

    @Test
    void aManagerGivenOnlyByReferenceIsItsLastSegment() {
        User user = ScimMapper.user(json("""
                        {"id":"U","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                            {"manager":{"$ref":"https://x.example/scim/v2/Users/M7"}}}"""), false);

        assertThat(user.managerRemoteId()).isEqualTo("M7");
    }

    @ParameterizedTest
    @CsvSource({
        "Employee, MEMBER",
        "member, MEMBER",
        "STAFF, MEMBER",
        "Contractor, MEMBER",
        "Intern, MEMBER",
        "User, MEMBER",
        "Guest, GUEST",
        "external, GUEST",
        "Partner, GUEST",
        "Service, SERVICE",
        "ServiceAccount, SERVICE",
        "service_account, SERVICE",
        "Service Account, SERVICE",
        "System, SERVICE",
        "Application, SERVICE",
        "Bot, BOT"
    })
    void userTypeWordsMapCaseInsensitively(String word, UserTypeValue expected) {
        User user = ScimMapper.user(json("{\"id\":\"U\",\"userType\":\"" + word + "\"}"), false);

        assertThat(user.type()).isEqualTo(new UserType(expected, word));
    }

    @ParameterizedTest
    @CsvSource({"Unknown", "Manager", "Vendor-ish", "''", "42"})
    void userTypeWordsOutsideTheTableAreNoType(String word) {
        assertThat(ScimMapper.user(json("{\"id\":\"U\",\"userType\":\"" + word + "\"}"), false)
                        .type())
                .isNull();
        assertThat(ScimMapper.user(json("{\"id\":\"U\",\"userType\":42}"), false)
                        .type())
                .isNull();
    }

    @Test
    void inactiveUserIsDisabledWithTheSourceValueKept() {
        assertThat(ScimMapper.user(json("{\"id\":\"U\",\"active\":false}"), false)
                        .status())
                .isEqualTo(new UserStatus(StatusValue.DISABLED, "false"));
    }

    @Test
    void activeAsTextIsUnderstood() {
        assertThat(ScimMapper.user(json("{\"id\":\"U\",\"active\":\"False\"}"), false)
                        .status())
                .isEqualTo(new UserStatus(StatusValue.DISABLED, "False"));
    }

    @Test
    void missingActiveIsEnabledWithoutSourceValue() {
        assertThat(ScimMapper.user(json("{\"id\":\"U\"}"), false).status())
                .isEqualTo(new UserStatus(StatusValue.ENABLED, null));
    }

    @Test
    void unknownActiveValueIsUnmappedWithItsText() {
        assertThat(ScimMapper.user(json("{\"id\":\"U\",\"active\":\"suspended\"}"), false)
                        .status())
                .isEqualTo(new UserStatus(StatusValue.UNMAPPED_VALUE, "suspended"));
    }

    @Test
    void emptyEmailTypeIsNoTypeAndPrimaryIsTheMarkedOne() {
        User user = ScimMapper.user(json("""
                        {"id":"U","emails":[{"value":"old@example.com","type":""},
                                            {"value":"new@example.com","primary":true,"type":""},
                                            {"type":"home"}]}"""), false);

        assertThat(user.emails())
                .containsExactly(new Email("old@example.com", null, false), new Email("new@example.com", null, true));
        assertThat(user.primaryEmailAddress()).isEqualTo("new@example.com");
    }

    @Test
    void withoutAPrimaryEmailTheFirstIsPrimaryAddress() {
        User user = ScimMapper.user(
                json("{\"id\":\"U\",\"emails\":[{\"value\":\"a@x.test\"},{\"value\":\"b@x.test\"}]}"), false);

        assertThat(user.primaryEmailAddress()).isEqualTo("a@x.test");
    }

    @Test
    void nameFallsBackToDisplayNameThenGivenAndFamilyName() {
        assertThat(ScimMapper.user(json("{\"id\":\"U\",\"displayName\":\"Ada L\"}"), false)
                        .name())
                .isEqualTo("Ada L");
        assertThat(ScimMapper.user(
                                json("{\"id\":\"U\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}}"),
                                false)
                        .name())
                .isEqualTo("Ada Lovelace");
    }

    @Test
    void groupReferencesAreReadFromValueDollarRefOrRef() {
        User user = ScimMapper.user(json("""
                        {"id":"U","groups":[
                          {"value":"g1","display":"Engineering","$ref":"https://x.test/scim/v2/Groups/g1"},
                          {"$ref":"https://x.test/scim/v2/Groups/g2","display":"Ops"},
                          {"ref":"https://x.test/Groups/g3/","display":"Sales"},
                          {"$ref":"https://x.test/Groups/g4//?attributes=id/x#top/y","display":"Legal"},
                          {"$ref":"https://x.test/Groups/?x=/g5","display":"Groups"},
                          {"display":"no id at all"}]}"""), false);

        // The id is the last path segment, before any query or fragment and after trailing slashes.
        assertThat(user.groups())
                .containsExactly(
                        new GroupRef("g1", "Engineering"),
                        new GroupRef("g2", "Ops"),
                        new GroupRef("g3", "Sales"),
                        new GroupRef("g4", "Legal"),
                        new GroupRef("Groups", "Groups"));
    }

    @Test
    void metaWithOnlyResourceTypeOrEmptyTimestampsGivesNoTimes() {
        User onlyType = ScimMapper.user(json("{\"id\":\"U\",\"meta\":{\"resourceType\":\"User\"}}"), false);
        User empty = ScimMapper.user(json("{\"id\":\"U\",\"meta\":{\"created\":\"\",\"lastModified\":\"\"}}"), false);
        User garbage = ScimMapper.user(json("{\"id\":\"U\",\"meta\":{\"created\":\"yesterday\"}}"), false);

        assertThat(List.of(onlyType, empty, garbage)).allSatisfy(user -> {
            assertThat(user.createdAt()).isNull();
            assertThat(user.updatedAt()).isNull();
        });
    }

    @Test
    void rawIsTheWholeResourceAsJsonShapedMapWhenAsked() {
        User user =
                ScimMapper.user(json("{\"id\":\"U\",\"active\":true,\"x\":{\"n\":3,\"l\":[1.5,null,\"s\"]}}"), true);

        assertThat(user.raw()).containsEntry("id", "U").containsEntry("active", true);
        assertThat(user.raw().get("x")).isEqualTo(Map.of("n", 3, "l", java.util.Arrays.asList(1.5, null, "s")));
    }

    @Test
    void groupWithoutMembersHasUnknownMembersNotAnEmptyList() {
        Group group = ScimMapper.group(json("{\"id\":\"g1\",\"displayName\":\"Eng\"}"), false);

        assertThat(group.name()).isEqualTo("Eng");
        assertThat(group.members()).isNull();
        assertThat(group.memberCount()).isNull();
    }

    @Test
    void groupMembersAreMappedAndCounted() {
        Group group = ScimMapper.group(json("""
                        {"id":"g1","displayName":"Eng","members":[
                          {"value":"U1","display":"ada@example.com"},
                          {"$ref":"https://x.test/Users/U2"}],
                         "meta":{"resourceType":"Group","created":"","lastModified":"2024-05-06T07:08:09Z"}}"""), true);

        assertThat(group.members()).containsExactly(new MemberRef("U1", "ada@example.com"), new MemberRef("U2", null));
        assertThat(group.memberCount()).isEqualTo(2);
        assertThat(group.createdAt()).isNull();
        assertThat(group.updatedAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
        assertThat(group.raw()).containsKey("members");
    }

    @Test
    void emptyMembersArrayIsAnEmptyGroup() {
        Group group = ScimMapper.group(json("{\"id\":\"g1\",\"members\":[]}"), false);

        assertThat(group.members()).isEmpty();
        assertThat(group.memberCount()).isZero();
    }

    /** A timestamp means what OffsetDateTime.parse reads in it; anything it refuses is unknown. */
    @Test
    void timestampsAreWhatTheStandardParserReads() {
        List<String> samples = new java.util.ArrayList<>(List.of(
                "2024-01-02T03:04:05Z",
                "2024-02-03T04:05:06.789+02:00",
                "2024-02-29T23:59:59.123456789-11:30",
                "1999-12-31T00:00:00.1Z",
                "0001-01-01T00:00:00Z",
                "2024-06-30T12:00:00-00:00",
                "2024-06-30T12:00:00+17:59",
                "2024-06-30T12:00:00+18:00",
                "2023-02-29T00:00:00Z",
                "2024-04-31T00:00:00Z",
                "2024-13-01T00:00:00Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T23:60:00Z",
                "2024-01-01T23:59:60Z",
                "2024-01-01t10:00:00z",
                "2024-01-01T10:00Z",
                "2024-01-01T10:00:00",
                "2024-01-01T10:00:00.Z",
                "2024-01-01T10:00:00.1234567891Z",
                "2024-01-01T10:00:00+0200",
                "2024-01-01T10:00:00+02",
                "2024-01-01T10:00:00+02:00:30",
                "2024-01-01T10:00:00Z ",
                "+2024-01-01T10:00:00Z",
                "2024-1-01T10:00:00Z",
                "2024-01-01 10:00:00Z",
                "2024-01-01T1a:00:00Z",
                "yesterday"));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2_000; i++) {
            samples.add(String.format(
                    "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                    random.nextInt(10_000),
                    random.nextInt(14),
                    random.nextInt(33),
                    random.nextInt(25),
                    random.nextInt(61),
                    random.nextInt(61),
                    random.nextBoolean() ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9)),
                    random.nextBoolean()
                            ? "Z"
                            : String.format(
                                    "%s%02d:%02d",
                                    random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(60))));
        }
        for (String text : samples) {
            Instant expected;
            try {
                expected = java.time.OffsetDateTime.parse(text.strip()).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                expected = null;
            }
            assertThat(ScimMapper.instant(JSON.getNodeFactory().textNode(text)))
                    .as(text)
                    .isEqualTo(expected);
        }
        assertThat(ScimMapper.instant(JSON.getNodeFactory().textNode("2024-02-03T04:05:06.789+02:00")))
                .isEqualTo(Instant.parse("2024-02-03T02:05:06.789Z"));
        assertThat(ScimMapper.instant(JSON.getNodeFactory().textNode(" 2024-01-02T03:04:05Z ")))
                .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(ScimMapper.instant(JSON.getNodeFactory().textNode("2024-01-01T10:00:00")))
                .isNull();
        assertThat(ScimMapper.instant(JSON.getNodeFactory().textNode("2023-02-29T00:00:00Z")))
                .isNull();
    }
}
