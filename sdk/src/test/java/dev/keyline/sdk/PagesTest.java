package dev.keyline.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.sdk.invoker.ApiException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagesTest {
    record Page(List<Integer> data, String next) {}

    @Test
    void followsNextUntilItIsNullAskingWithEachPagesCursor() {
        Map<String, Page> pages = Map.of(
                "first", new Page(List.of(1, 2), "b"),
                "b", new Page(List.of(), "c"),
                "c", new Page(List.of(3), null));
        List<String> asked = new ArrayList<>();

        List<Integer> items = Pages.stream(
                        cursor -> {
                            asked.add(cursor);
                            return pages.get(cursor == null ? "first" : cursor);
                        },
                        Page::data,
                        Page::next)
                .toList();

        assertThat(items).containsExactly(1, 2, 3);
        assertThat(asked).containsExactly(null, "b", "c");
    }

    @Test
    void fetchesNoPageBeforeItIsNeeded() {
        List<String> asked = new ArrayList<>();
        var first = Pages.stream(
                        cursor -> {
                            asked.add(cursor);
                            return new Page(List.of(1), "more");
                        },
                        Page::data,
                        Page::next)
                .findFirst();

        assertThat(first).contains(1);
        assertThat(asked).hasSize(1);
    }

    @Test
    void refusesAPageThatNamesItsOwnCursorAgain() {
        var items = Pages.stream(cursor -> new Page(List.of(1), cursor == null ? "x" : cursor), Page::data, Page::next);

        assertThatThrownBy(items::toList)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("same cursor");
    }

    @Test
    void aRefusedPageSurfacesAsAProblem() {
        HttpHeaders headers =
                HttpHeaders.of(Map.of("Content-Type", List.of("application/problem+json")), (a, b) -> true);
        var items = Pages.<Page, Integer>stream(
                cursor -> {
                    throw new ApiException(
                            400, "listUsers", headers, "{\"code\":\"invalid_cursor\",\"field\":\"cursor\"}");
                },
                Page::data,
                Page::next);

        assertThatThrownBy(items::toList)
                .isInstanceOfSatisfying(
                        KeylineProblemException.class, p -> assertThat(p.code()).contains("invalid_cursor"));
    }
}
