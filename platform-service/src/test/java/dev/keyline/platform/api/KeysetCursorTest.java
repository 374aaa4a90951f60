package dev.keyline.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keyset cursor of /accounts, /webhooks and the operator lists: clients hold these, so the wire form stays. */
class KeysetCursorTest {
    private static final Instant CREATED = Instant.parse("2026-01-31T09:00:00.123456Z");

    @Test
    void aPositionIsWrittenAsUnpaddedUrlBase64OfItsMicrosecondsAndId() {
        // base64url("1769850000123456:acc_1"), the form cursors already handed out have.
        assertThat(new KeysetCursor(CREATED, "acc_1").encode()).isEqualTo("MTc2OTg1MDAwMDEyMzQ1NjphY2NfMQ");
    }

    @Test
    void aCursorHandedOutEarlierStillNamesItsPosition() {
        assertThat(KeysetCursor.decode("MTc2OTg1MDAwMDEyMzQ1NjphY2NfMQ")).isEqualTo(new KeysetCursor(CREATED, "acc_1"));
    }

    @Test
    void anIdContainingAColonSurvivesTheRoundTrip() {
        KeysetCursor position = new KeysetCursor(CREATED, "odd:id");

        assertThat(KeysetCursor.decode(position.encode())).isEqualTo(position);
    }

    @Test
    void noCursorOrABlankOneMeansTheFirstPage() {
        assertThat(KeysetCursor.decode(null)).isNull();
        assertThat(KeysetCursor.decode(" ")).isNull();
    }

    @Test
    void aPageHasANextCursorOnlyWhenTheExtraRowWasRead() {
        List<KeysetCursor> rows =
                List.of(new KeysetCursor(CREATED, "a"), new KeysetCursor(CREATED, "b"), new KeysetCursor(CREATED, "c"));

        KeysetCursor.Slice<KeysetCursor> more = KeysetCursor.slice(rows, 2, KeysetCursor::at, KeysetCursor::id);
        KeysetCursor.Slice<KeysetCursor> last = KeysetCursor.slice(rows, 3, KeysetCursor::at, KeysetCursor::id);

        assertThat(more.shown()).hasSize(2);
        assertThat(KeysetCursor.decode(more.next())).isEqualTo(rows.get(1));
        assertThat(last.shown()).hasSize(3);
        assertThat(last.next()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "bm8tY29sb24", "c29vbjphY2NfMQ"})
    void aMalformedCursorIsRefusedOnTheCursorParameter(String cursor) {
        KeylineException problem = catchThrowableOfType(KeylineException.class, () -> KeysetCursor.decode(cursor));

        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.code()).isEqualTo("invalid_cursor");
        assertThat(problem.fieldName()).isEqualTo("cursor");
    }
}
