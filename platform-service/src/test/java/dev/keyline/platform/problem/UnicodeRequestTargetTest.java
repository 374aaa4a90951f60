package dev.keyline.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnicodeRequestTargetTest {

    @Test
    void utf8TargetsPass() {
        assertThat(UnicodeRequestTarget.invalidField("/accounts")).isNull();
        assertThat(UnicodeRequestTarget.invalidField("/accounts?origin_owner_id=org-%F0%9F%92%A5&page_size=5"))
                .isNull();
        assertThat(UnicodeRequestTarget.invalidField("/iam/users?email=a%40b&flag"))
                .isNull();
        // A malformed escape is for the usual parsing to judge, not a Unicode matter.
        assertThat(UnicodeRequestTarget.invalidField("/accounts?q=%zz")).isNull();
    }

    @Test
    void theFirstPartThatIsNotUtf8IsNamed() {
        assertThat(UnicodeRequestTarget.invalidField("/accounts?page_size=5&origin_owner_id=%ED%A0%80"))
                .isEqualTo("origin_owner_id");
        assertThat(UnicodeRequestTarget.invalidField("/accounts?origin%5Fowner%5Fid=%C3%28"))
                .isEqualTo("origin_owner_id");
        assertThat(UnicodeRequestTarget.invalidField("/accounts?%FF=1")).isEqualTo("query");
        assertThat(UnicodeRequestTarget.invalidField("/accounts/%ED%B0%80")).isEqualTo("path");
        // Raw bytes arrive one character per byte: a lone 0xFF is not UTF-8, a raw UTF-8 sequence is.
        assertThat(UnicodeRequestTarget.invalidField("/accounts?x=\u00ff")).isEqualTo("x");
        assertThat(UnicodeRequestTarget.invalidField("/accounts?x=\u00c3\u00a9"))
                .isNull();
    }
}
