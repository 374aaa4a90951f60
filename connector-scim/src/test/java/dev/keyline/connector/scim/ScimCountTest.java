package dev.keyline.connector.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScimCountTest {
    private static final JsonNode USER = ScimMapperTest.json("{\"id\":\"U1\"}");

    private static ScimListResponse page(Integer totalResults, int held) {
        return new ScimListResponse(totalResults, held, 1, Collections.nCopies(held, USER));
    }

    @Test
    void aTotalLargerThanThePageIsTaken() {
        assertThat(ScimCount.of(page(30, 1), 1)).contains(new ScimCount(30, true));
    }

    @Test
    void aFullPageWhoseTotalIsNotLargerIsOnlyALowerBound() {
        // A server that counts the page instead of the listing: 30 users, asked for one, says 1.
        Optional<ScimCount> count = ScimCount.of(page(1, 1), 1);

        assertThat(count).contains(new ScimCount(1, false));
        assertThat(count.get().phrase("user", "users")).isEqualTo("at least 1 user");
    }

    @Test
    void aPageShorterThanAskedEndsTheListingSoItsSizeIsTheTotal() {
        assertThat(ScimCount.of(page(0, 0), 1)).contains(new ScimCount(0, true));
        assertThat(ScimCount.of(page(null, 3), 10)).contains(new ScimCount(3, true));
        // A total lower than what the page held is wrong; the page itself is right.
        assertThat(ScimCount.of(page(2, 3), 10)).contains(new ScimCount(3, true));
    }

    @Test
    void aFullPageWithoutTotalSaysNothing() {
        assertThat(ScimCount.of(page(null, 1), 1)).isEmpty();
    }

    @Test
    void phrasesCountInTheRightNumber() {
        assertThat(new ScimCount(1, true).phrase("user", "users")).isEqualTo("1 user");
        assertThat(new ScimCount(0, true).phrase("user", "users")).isEqualTo("0 users");
        assertThat(new ScimCount(30, true).phrase("user", "users")).isEqualTo("30 users");
        assertThat(new ScimCount(5, false).phrase("group", "groups")).isEqualTo("at least 5 groups");
    }

    @Test
    void aLowerBoundIsNeverTheExactFact() {
        Map<String, String> facts = new LinkedHashMap<>();
        new ScimCount(1, false).putFact(facts, "users");
        assertThat(facts).containsOnly(Map.entry("users_at_least", "1"));

        facts.clear();
        new ScimCount(30, true).putFact(facts, "users");
        assertThat(facts).containsOnly(Map.entry("users", "30"));
    }
}
