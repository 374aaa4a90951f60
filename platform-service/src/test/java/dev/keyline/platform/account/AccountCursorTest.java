package dev.keyline.platform.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The /accounts cursor: clients hold these between calls, so the wire form must not change. */
class AccountCursorTest {
    private static final Instant CREATED = Instant.parse("2026-01-31T09:00:00.123456Z");

    @Test
    void aPositionIsWrittenAsUnpaddedUrlBase64OfItsMicrosecondsAndId() {
        // base64url("1769850000123456:acc_1"), the form cursors already handed out have.
        assertThat(new AccountCursor(CREATED, "acc_1").encode()).isEqualTo("MTc2OTg1MDAwMDEyMzQ1NjphY2NfMQ");
    }

    @Test
    void aCursorHandedOutEarlierStillNamesItsPosition() {
        assertThat(AccountCursor.decode("MTc2OTg1MDAwMDEyMzQ1NjphY2NfMQ"))
                .isEqualTo(new AccountCursor(CREATED, "acc_1"));
    }

    @Test
    void anIdContainingAColonSurvivesTheRoundTrip() {
        AccountCursor position = new AccountCursor(CREATED, "odd:id");

        assertThat(AccountCursor.decode(position.encode())).isEqualTo(position);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "bm8tY29sb24", "c29vbjphY2NfMQ", ""})
    void aMalformedCursorIsRefusedOnTheCursorParameter(String cursor) {
        KeylineException problem = catchThrowableOfType(KeylineException.class, () -> AccountCursor.decode(cursor));

        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.code()).isEqualTo("invalid_cursor");
        assertThat(problem.fieldName()).isEqualTo("cursor");
    }
}
