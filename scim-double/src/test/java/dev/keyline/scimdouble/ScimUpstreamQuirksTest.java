package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScimUpstreamQuirksTest {
    private final ScimUpstream upstream =
            ScimUpstream.builder().users(10).groups(3).start();
    private final Http http = new Http(upstream);

    @AfterEach
    void close() {
        upstream.close();
    }

    private Map<String, Object> firstUser() {
        return Http.resources(http.get(upstream.hostedBaseUrl() + "/Users?count=1"))
                .get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("meta");
    }

    @Test
    void startIndexZeroIsReportedWhenSwitchedOn() {
        upstream.enable(Quirk.START_INDEX_ZERO);
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=1&count=2")))
                .containsEntry("startIndex", 0L);
        upstream.disable(Quirk.START_INDEX_ZERO);
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=1&count=2")))
                .containsEntry("startIndex", 1L);
    }

    @Test
    void metaHasOnlyResourceTypeWhenSwitchedOn() {
        upstream.enable(Quirk.META_RESOURCE_TYPE_ONLY);
        assertThat(meta(firstUser())).containsOnlyKeys("resourceType");
    }

    @Test
    void metaTimestampsAreEmptyStringsWhenSwitchedOn() {
        upstream.enable(Quirk.META_EMPTY_TIMESTAMPS);
        assertThat(meta(firstUser()))
                .containsEntry("created", "")
                .containsEntry("lastModified", "")
                .containsKey("location");
    }

    @Test
    @SuppressWarnings("unchecked")
    void groupRefsUseRefWithoutDollarWhenSwitchedOn() {
        upstream.enable(Quirk.GROUP_REF_WITHOUT_DOLLAR);
        List<Map<String, Object>> groups =
                (List<Map<String, Object>>) firstUser().get("groups");
        assertThat(groups)
                .isNotEmpty()
                .allSatisfy(g -> assertThat(g).containsKey("ref").doesNotContainKey("$ref"));
    }

    @Test
    void groupListingOmitsMembersWhenSwitchedOnButLookupKeepsThem() {
        upstream.enable(Quirk.GROUPS_LISTED_WITHOUT_MEMBERS);
        List<Map<String, Object>> groups = Http.resources(http.get(upstream.hostedBaseUrl() + "/Groups"));
        assertThat(groups).isNotEmpty().allSatisfy(g -> assertThat(g).doesNotContainKey("members"));
        String id = (String) groups.get(0).get("id");
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Groups/" + id)))
                .containsKey("members");
    }

    @Test
    void groupListingHasMembersByDefaultUnlessExcluded() {
        assertThat(Http.resources(http.get(upstream.hostedBaseUrl() + "/Groups")))
                .allSatisfy(g -> assertThat(g).containsKey("members"));
        assertThat(Http.resources(http.get(upstream.hostedBaseUrl() + "/Groups?excludedAttributes=members")))
                .allSatisfy(g -> assertThat(g).doesNotContainKey("members"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void resourceTypesNameASingularUserEndpointWhenSwitchedOn() {
        upstream.enable(Quirk.SINGULAR_USER_ENDPOINT);
        List<Map<String, Object>> types = (List<Map<String, Object>>)
                Http.json(http.get(upstream.hostedBaseUrl() + "/ResourceTypes")).get("Resources");
        assertThat(types).extracting(t -> t.get("endpoint")).contains("/scim/v2/User");
    }

    @Test
    void quirksCanBeSetAtBuildTime() {
        try (ScimUpstream quirky = ScimUpstream.builder()
                .quirks(Quirk.START_INDEX_ZERO, Quirk.META_EMPTY_TIMESTAMPS)
                .start()) {
            assertThat(quirky.quirks()).containsExactlyInAnyOrder(Quirk.START_INDEX_ZERO, Quirk.META_EMPTY_TIMESTAMPS);
            assertThat(Http.json(new Http(quirky).get(quirky.hostedBaseUrl() + "/Users")))
                    .containsEntry("startIndex", 0L);
        }
    }
}
