package dev.keyline.connector.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {

    @Test
    void streamHandsEveryPageInOrderAndCountsThem() {
        List<Integer> seen = new ArrayList<>();
        int pages = Page.stream(
                cursor -> cursor == null
                        ? Page.of(List.of(1, 2), "b")
                        : cursor.equals("b") ? Page.of(List.of(3), "c") : Page.last(List.of(4)),
                page -> seen.addAll(page.items()));
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aCursorThatComesBackIsAnUpstreamErrorNotAnEndlessLoop() {
        assertThatThrownBy(() -> Page.stream(cursor -> Page.of(List.of(1), "same"), page -> {}))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
    }

    @Test
    void pagesAreImmutable() {
        List<String> items = new ArrayList<>(List.of("a"));
        Page<String> page = Page.last(items);
        items.add("b");
        assertThat(page.items()).containsExactly("a");
        assertThatThrownBy(() -> page.items().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }
}
