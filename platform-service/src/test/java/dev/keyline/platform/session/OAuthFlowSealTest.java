package dev.keyline.platform.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.oauth.Pkce;
import dev.keyline.platform.session.OAuthFlowSeal.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthFlowSealTest {
    private final String state = Pkce.random(32);
    private final Secrets secrets = new Secrets(Pkce.verifier(), Map.of("base_url", "https://idp.example.com"));

    @Test
    void theFlowsStateOpensWhatWasSealed() {
        byte[] sealed = OAuthFlowSeal.seal(state, "flow-1", secrets);
        assertThat(OAuthFlowSeal.open(state, "flow-1", sealed)).isEqualTo(secrets);
    }

    @Test
    void theSealedValueShowsNeitherTheVerifierNorTheValues() {
        String sealed = new String(OAuthFlowSeal.seal(state, "flow-1", secrets), StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain(secrets.verifier()).doesNotContain("idp.example.com");
    }

    @Test
    void anotherStateOrAnotherRowOpensNothing() {
        byte[] sealed = OAuthFlowSeal.seal(state, "flow-1", secrets);
        assertThatThrownBy(() -> OAuthFlowSeal.open(Pkce.random(32), "flow-1", sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> OAuthFlowSeal.open(state, "flow-2", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFieldATemplatesHostComesFromIsNamed() {
        assertThat(OAuthFlowService.leadingField("{base_url}/authorize")).contains("base_url");
        assertThat(OAuthFlowService.leadingField("https://{domain}/oauth2/v1/authorize"))
                .contains("domain");
        assertThat(OAuthFlowService.leadingField("https://login.example.com/{tenant}/authorize"))
                .isEmpty();
    }
}
