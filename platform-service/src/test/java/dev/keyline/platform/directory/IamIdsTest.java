package dev.keyline.platform.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IamIdsTest {

    @Test
    void userIdRoundTripsToTheProviderId() {
        String remoteId = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        String id = IamIds.user(remoteId);
        assertThat(id).startsWith("usr_").doesNotContain(remoteId);
        assertThat(IamIds.userRemoteId(id)).contains(remoteId);
    }

    @Test
    void idsOfOneKindAreNotAcceptedAsTheOther() {
        assertThat(IamIds.groupRemoteId(IamIds.user("x1"))).isEmpty();
        assertThat(IamIds.userRemoteId(IamIds.group("x1"))).isEmpty();
    }

    @Test
    void malformedIdsAreNotFoundRatherThanErrors() {
        assertThat(IamIds.userRemoteId("usr_")).isEmpty();
        assertThat(IamIds.userRemoteId("usr_!!!")).isEmpty();
        assertThat(IamIds.userRemoteId("something")).isEmpty();
        assertThat(IamIds.userRemoteId(null)).isEmpty();
    }

    @Test
    void onlyTheCanonicalSpellingOfAnIdIsAccepted() {
        String id = IamIds.user("a");
        // Base64 decoders ignore trailing bits; a second spelling of the same bytes must not be an alias.
        String alias = id.substring(0, id.length() - 1) + (id.endsWith("Q") ? "R" : "Q");
        assertThat(IamIds.userRemoteId(alias)).isEmpty();
    }
}
