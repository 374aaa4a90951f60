package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScimUpstreamPagingTest {
    private final ScimUpstream upstream = ScimUpstream.builder()
            .users(23)
            .groups(4)
            .membershipsPerUser(2)
            .seed(7)
            .start();
    private final Http http = new Http(upstream);

    @AfterEach
    void close() {
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/scim/v2", "", "/scim"})
    void pagesCoverEveryUserOnceOnEachUrlForm(String prefix) {
        List<String> ids = new ArrayList<>();
        for (int start = 1; start <= 23; start += 7) {
            HttpResponse<String> response =
                    http.get(upstream.rootUrl() + prefix + "/Users?startIndex=" + start + "&count=7");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/scim+json");
            Map<String, Object> body = Http.json(response);
            assertThat(body.get("schemas")).isEqualTo(List.of("urn:ietf:params:scim:api:messages:2.0:ListResponse"));
            assertThat(body).containsEntry("totalResults", 23L).containsEntry("startIndex", (long) start);
            List<Map<String, Object>> resources = Http.resources(response);
            assertThat(body).containsEntry("itemsPerPage", (long) resources.size());
            resources.forEach(user -> ids.add((String) user.get("id")));
        }
        assertThat(ids)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(
                        upstream.directory().users().stream().map(ScimUser::id).toList());
    }

    @Test
    void userAndGroupCanBeFetchedById() {
        ScimUser user = upstream.directory().users().get(3);
        Map<String, Object> body = Http.json(http.get(upstream.hostedBaseUrl() + "/Users/" + user.id()));
        assertThat(body).containsEntry("id", user.id()).containsEntry("userName", user.userName());

        ScimGroup group = upstream.directory().groups().get(1);
        Map<String, Object> groupBody = Http.json(http.get(upstream.bridgeBaseUrl() + "/Groups/" + group.id()));
        assertThat(groupBody).containsEntry("displayName", group.displayName());
    }

    @Test
    void unknownIdIsNotFound() {
        HttpResponse<String> response = http.get(upstream.hostedBaseUrl() + "/Users/NOPE");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.json(response)).containsEntry("status", "404");
    }

    @Test
    void wrongTokenIsRejected() {
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void writesAreRefusedAndLogged() {
        String url = upstream.hostedBaseUrl() + "/Users/"
                + upstream.directory().users().get(0).id();
        assertThat(http.send("PATCH", url).statusCode()).isEqualTo(405);
        assertThat(upstream.requests().writes())
                .singleElement()
                .satisfies(r -> assertThat(r.method()).isEqualTo("PATCH"));
    }
}
