package dev.keyline.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signsTheStandardWebhooksReferenceVector() {
        // The test vector of the Standard Webhooks reference libraries.
        byte[] key = WebhookSignature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signature = WebhookSignature.sign(
                key,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theIndependentVerifierAcceptsOurSignatureAndRejectsTamperingAndOtherSecrets() {
        String secret = WebhookSignature.newSecret();
        byte[] body = "{\"id\":\"evt_1\",\"type\":\"webhook.test\"}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = Map.of(
                "webhook-id", "evt_1",
                "webhook-timestamp", Long.toString(now),
                "webhook-signature", WebhookSignature.sign(WebhookSignature.key(secret), "evt_1", now, body));

        assertThat(StandardWebhooksVerifier.verify(secret, headers, body)).isTrue();
        byte[] tampered = "{\"id\":\"evt_1\",\"type\":\"webhook.tesT\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(StandardWebhooksVerifier.verify(secret, headers, tampered)).isFalse();
        assertThat(StandardWebhooksVerifier.verify(WebhookSignature.newSecret(), headers, body))
                .isFalse();
        Map<String, String> otherId = Map.of(
                "webhook-id", "evt_2",
                "webhook-timestamp", headers.get("webhook-timestamp"),
                "webhook-signature", headers.get("webhook-signature"));
        assertThat(StandardWebhooksVerifier.verify(secret, otherId, body)).isFalse();
        Map<String, String> stale = Map.of(
                "webhook-id", "evt_1",
                "webhook-timestamp", Long.toString(now - 3600),
                "webhook-signature", WebhookSignature.sign(WebhookSignature.key(secret), "evt_1", now - 3600, body));
        assertThat(StandardWebhooksVerifier.verify(secret, stale, body)).isFalse();
    }

    @Test
    void secretsAreWhsecAndThirtyTwoRandomBytes() {
        String a = WebhookSignature.newSecret();
        String b = WebhookSignature.newSecret();
        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
        assertThatThrownBy(() -> WebhookSignature.key("sk_abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patternsMatchExactTypesPrefixesAndEverything() {
        assertThat(EventTypes.matches(java.util.List.of("*"), "iam.group.deleted"))
                .isTrue();
        assertThat(EventTypes.matches(java.util.List.of("iam.user.*"), "iam.user.updated"))
                .isTrue();
        assertThat(EventTypes.matches(java.util.List.of("iam.user.*"), "iam.group.updated"))
                .isFalse();
        assertThat(EventTypes.matches(java.util.List.of("sync.completed"), "sync.failed"))
                .isFalse();
        assertThat(EventTypes.directory("user", "reappeared")).isEqualTo("iam.user.created");
        assertThat(EventTypes.directory("group", "updated")).isEqualTo("iam.group.updated");
        assertThat(EventTypes.validate(java.util.List.of("iam.*", "iam.*", "account.linked")))
                .containsExactly("iam.*", "account.linked");
        assertThatThrownBy(() -> EventTypes.validate(java.util.List.of("iam.users.*")))
                .hasMessageContaining("not an event type");
        assertThatThrownBy(() -> EventTypes.validate(java.util.List.of("webhook.test")))
                .hasMessageContaining("not an event type");
    }
}
