package dev.keyline.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up refusal of OIDC without an audience; the running service's audience check is in OidcAuthTest. */
class OidcAudienceCheckTest {
    private static final Optional<String> IDP = Optional.of("https://idp.example.com/realms/keyline");

    @Test
    void oidcWithoutAnAudienceRefusesToStartAndSaysWhatToSet() {
        Optional<String> problem = OidcAudienceCheck.problem(true, IDP, Optional.empty(), Optional.empty());
        assertThat(problem)
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("quarkus.oidc.token.audience")
                        .contains("QUARKUS_OIDC_TOKEN_AUDIENCE"));
        assertThat(OidcAudienceCheck.problem(true, Optional.empty(), Optional.of("MIIB..."), Optional.empty()))
                .isPresent();
        assertThat(OidcAudienceCheck.problem(true, IDP, Optional.empty(), Optional.of(List.of(" "))))
                .as("a blank audience is no audience")
                .isPresent();
    }

    @Test
    void oidcWithAnAudienceStarts() {
        assertThat(OidcAudienceCheck.problem(true, IDP, Optional.empty(), Optional.of(List.of("keyline-api"))))
                .isEmpty();
    }

    @Test
    void withoutOidcNoAudienceIsNeeded() {
        assertThat(OidcAudienceCheck.problem(false, IDP, Optional.empty(), Optional.empty()))
                .isEmpty();
        assertThat(OidcAudienceCheck.problem(true, Optional.empty(), Optional.empty(), Optional.empty()))
                .as("enabled but with no IdP configured, quarkus-oidc verifies no token at all")
                .isEmpty();
    }
}
