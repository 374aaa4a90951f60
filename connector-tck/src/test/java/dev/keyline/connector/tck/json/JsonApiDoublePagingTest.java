package dev.keyline.connector.tck.json;

import static dev.keyline.connector.tck.json.DoubleClient.get;
import static dev.keyline.connector.tck.json.DoubleClient.list;
import static dev.keyline.connector.tck.json.DoubleClient.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each paging style, followed as a client of the real API would follow it, lists every record exactly once. */
class JsonApiDoublePagingTest {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private JsonApiDouble api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private JsonApiDouble start(Paging paging, int users) {
        api = JsonApiDouble.builder()
                .basePath("/api/v1")
                .paging(paging)
                .pageSizes(5, 10)
                .collection(
                        "/users",
                        IntStream.rangeClosed(1, users)
                                .mapToObj(i -> Map.of("id", "u" + i, "email", "user" + i + "@example.com"))
                                .toList())
                .start();
        return api;
    }

    /** Lists /users the way each provider's documentation says to, with page size 3. */
    static List<List<String>> pages(JsonApiDouble api) {
        Paging paging = api.paging();
        List<List<String>> pages = new ArrayList<>();
        String url = api.baseUrl() + "/users?" + paging.sizeParameter() + "=3";
        int offset = 0;
        while (url != null) {
            HttpResponse<String> response = get(api, url);
            assertThat(response.statusCode()).as("status of %s", url).isEqualTo(200);
            List<Map<String, Object>> items;
            String next = null;
            switch (paging) {
                case LINK_HEADER -> {
                    items = list(DoubleClient.json(response));
                    Matcher m =
                            NEXT.matcher(response.headers().firstValue("Link").orElse(""));
                    next = m.find() ? m.group(1) : null;
                }
                case OPAQUE_CURSOR -> {
                    Map<String, Object> body = object(response);
                    assertThat(body).containsEntry("ok", true);
                    items = list(body.get("users"));
                    @SuppressWarnings("unchecked")
                    String cursor = (String) ((Map<String, Object>) body.get("response_metadata")).get("next_cursor");
                    next = cursor.isEmpty() ? null : api.baseUrl() + "/users?limit=3&cursor=" + cursor;
                }
                case OFFSET -> {
                    Map<String, Object> body = object(response);
                    items = list(body.get("users"));
                    assertThat(body).containsEntry("offset", (long) offset).containsEntry("limit", 3L);
                    offset += items.size();
                    next = offset < (Long) body.get("total") ? api.baseUrl() + "/users?limit=3&offset=" + offset : null;
                }
                case ODATA_NEXT_LINK -> {
                    Map<String, Object> body = object(response);
                    assertThat(body).containsKey("@odata.context");
                    items = list(body.get("value"));
                    next = (String) body.get("@odata.nextLink");
                }
                case PAGE_TOKEN -> {
                    Map<String, Object> body = object(response);
                    items = list(body.get("users"));
                    String token = (String) body.get("nextPageToken");
                    next = token == null ? null : api.baseUrl() + "/users?maxResults=3&pageToken=" + token;
                }
                default -> throw new IllegalStateException();
            }
            pages.add(items.stream().map(u -> (String) u.get("id")).toList());
            url = next;
            assertThat(pages).as("pages so far").hasSizeLessThan(20);
        }
        return pages;
    }

    @ParameterizedTest
    @EnumSource(Paging.class)
    void everyStyleListsEveryRecordOnceInPagesOfTheAskedSize(Paging paging) {
        start(paging, 8);
        List<List<String>> pages = pages(api);
        assertThat(pages).containsExactly(List.of("u1", "u2", "u3"), List.of("u4", "u5", "u6"), List.of("u7", "u8"));
    }

    @ParameterizedTest
    @EnumSource(Paging.class)
    void aListingThatFitsOnOnePageHasNoNextPage(Paging paging) {
        start(paging, 3);
        assertThat(pages(api)).containsExactly(List.of("u1", "u2", "u3"));
    }

    @Test
    void linkHeaderFollowsRfc8288AndKeepsOtherParameters() {
        start(Paging.LINK_HEADER, 4);
        HttpResponse<String> response = get(api, api.baseUrl() + "/users?filter=status%20eq%20%22ACTIVE%22&limit=2");
        String link = response.headers().firstValue("Link").orElseThrow();
        assertThat(link).contains("rel=\"self\"").contains("rel=\"next\"");
        Matcher m = NEXT.matcher(link);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).startsWith(api.baseUrl() + "/users?filter=status%20eq%20%22ACTIVE%22&limit=2&after=");
    }

    @Test
    void odataNextLinkCarriesTopAndSkiptoken() {
        start(Paging.ODATA_NEXT_LINK, 4);
        Map<String, Object> body = object(get(api, api.baseUrl() + "/users?$top=2"));
        assertThat((String) body.get("@odata.nextLink"))
                .matches(Pattern.quote(api.baseUrl()) + "/users\\?\\$top=2&\\$skiptoken=[A-Za-z0-9_-]+");
    }

    @Test
    void pageSizesAreDefaultedAndClamped() {
        start(Paging.OFFSET, 30);
        assertThat(list(object(get(api, api.baseUrl() + "/users")).get("users")))
                .hasSize(5);
        Map<String, Object> clamped = object(get(api, api.baseUrl() + "/users?limit=1000"));
        assertThat(list(clamped.get("users"))).hasSize(10);
        assertThat(clamped).containsEntry("limit", 10L).containsEntry("total", 30L);
    }

    @ParameterizedTest
    @EnumSource(
            value = Paging.class,
            names = {"OFFSET"},
            mode = EnumSource.Mode.EXCLUDE)
    void aTokenTheDoubleDidNotIssueIsRejected(Paging paging) {
        start(paging, 4);
        String url = api.baseUrl() + "/users?" + paging.positionParameter() + "=bm90LW91cnM";
        assertThat(get(api, url).statusCode()).isEqualTo(400);
        assertThat(get(api, api.baseUrl() + "/users?" + paging.sizeParameter() + "=x")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void recordsCanBeScriptedWhileRunning() {
        start(Paging.OFFSET, 2);
        JsonCollection users = api.collection("/users");
        users.add(Map.of("id", "u3", "email", "new@example.com"));
        users.put(Map.of("id", "u1", "email", "renamed@example.com"));
        assertThat(users.remove("u2")).isTrue();
        List<Map<String, Object>> listed =
                list(object(get(api, api.baseUrl() + "/users")).get("users"));
        assertThat(listed).extracting(u -> u.get("id")).containsExactly("u1", "u3");
        assertThat(listed.get(0)).containsEntry("email", "renamed@example.com");
        assertThat(object(get(api, api.baseUrl() + "/users/u3"))).containsEntry("email", "new@example.com");
        assertThat(get(api, api.baseUrl() + "/users/u2").statusCode()).isEqualTo(404);
    }

    @Test
    void subCollectionsServeGroupMembersAndRoles() {
        api = JsonApiDouble.builder()
                .paging(Paging.PAGE_TOKEN)
                .collection("/groups", List.of(Map.of("id", "g1", "name", "Engineering")))
                .collection("/groups/g1/members", List.of(Map.of("id", "u1"), Map.of("id", "u2")))
                .collection("/roles", List.of(Map.of("id", "admin")))
                .start();
        assertThat(list(object(get(api, api.baseUrl() + "/groups/g1/members")).get("members")))
                .extracting(m -> m.get("id"))
                .containsExactly("u1", "u2");
        assertThat(object(get(api, api.baseUrl() + "/groups/g1"))).containsEntry("name", "Engineering");
        assertThat(list(object(get(api, api.baseUrl() + "/roles")).get("roles")))
                .hasSize(1);
        api.addCollection("/groups/g2/members");
        assertThat(list(object(get(api, api.baseUrl() + "/groups/g2/members")).get("members")))
                .isEmpty();
        assertThat(get(api, api.baseUrl() + "/nothing").statusCode()).isEqualTo(404);
    }
}
