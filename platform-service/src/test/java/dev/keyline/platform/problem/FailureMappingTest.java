package dev.keyline.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.credential.CredentialStoreException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The problem mapper is the one place a kind of failure becomes an HTTP status; these are the statuses clients know. */
class FailureMappingTest {

    @Test
    void everyKindHasTheStatusClientsKnow() {
        Map<Kind, Integer> expected = new EnumMap<>(Kind.class);
        expected.put(Kind.INVALID, 400);
        expected.put(Kind.UNAUTHENTICATED, 401);
        expected.put(Kind.FORBIDDEN, 403);
        expected.put(Kind.NOT_FOUND, 404);
        expected.put(Kind.CONFLICT, 409);
        expected.put(Kind.GONE, 410);
        expected.put(Kind.TOO_LARGE, 413);
        expected.put(Kind.UNPROCESSABLE, 422);
        expected.put(Kind.RATE_LIMITED, 429);
        expected.put(Kind.INTERNAL, 500);
        expected.put(Kind.UNSUPPORTED, 501);
        expected.put(Kind.UPSTREAM, 502);
        expected.put(Kind.UNAVAILABLE, 503);
        expected.put(Kind.TIMEOUT, 504);
        assertThat(expected).hasSize(Kind.values().length);
        for (Kind kind : Kind.values()) {
            assertThat(ProblemMapper.status(kind)).as(kind.name()).isEqualTo(expected.get(kind));
        }
    }

    @Test
    void theBodyCarriesEveryPartOfTheFailure() {
        KeylineException failure = KeylineException.conflict(FailureCode.SYNC_IN_PROGRESS, "A sync is running.")
                .field("account_id")
                .retryAfter(Duration.ofMillis(1500))
                .errors(List.of(Map.of("field", "account_id", "message", "busy")));

        Problem body = ProblemMapper.body(ProblemMapper.status(failure.kind()), failure, "/accounts/acc_1/syncs");

        assertThat(body.status()).isEqualTo(409);
        assertThat(body.code()).isEqualTo("sync_in_progress");
        assertThat(body.type()).isEqualTo("/problems/sync_in_progress");
        assertThat(body.title()).isEqualTo("Conflict");
        assertThat(body.detail()).isEqualTo("A sync is running.");
        assertThat(body.field()).isEqualTo("account_id");
        assertThat(body.instance()).isEqualTo("/accounts/acc_1/syncs");
        // Rounded up, never down.
        assertThat(body.retryAfter()).isEqualTo(2L);
        assertThat(body.errors()).containsExactly(Map.of("field", "account_id", "message", "busy"));
    }

    @Test
    void anUnauthenticatedCallerIsToldHowToAuthenticate() {
        Response response = ProblemMapper.respond(KeylineException.unauthenticated("Send a key."), null);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.getHeaderString("Retry-After")).isNull();
    }

    @Test
    void anExceptionCarryingAFailureIsAnsweredWithIt() {
        CredentialStoreException unreadable = new CredentialStoreException(
                CredentialStoreException.Reason.UNREADABLE, "tenant t, account a: sealed with another key");

        Response response = new ProblemMapper().unexpected(unreadable, null, null);

        assertThat(response.getStatus()).isEqualTo(409);
        Problem body = (Problem) response.getEntity();
        assertThat(body.code()).isEqualTo("reauthorization_required");
        // The store's own message is for the log only.
        assertThat(body.detail()).doesNotContain("tenant t");
    }

    @Test
    void failureCodesAreSpelledAsOnTheWire() {
        assertThat(FailureCode.DELETION_GUARD.wire()).isEqualTo("deletion_guard");
        assertThat(FailureCode.ACCOUNT_NOT_ACTIVE.wire()).isEqualTo("account_not_active");
        assertThat(KeylineException.notFound("Account x").code()).isEqualTo("not_found");
        assertThat(KeylineException.invalid(FailureCode.INVALID_CURSOR, "bad").is(FailureCode.INVALID_CURSOR))
                .isTrue();
    }
}
