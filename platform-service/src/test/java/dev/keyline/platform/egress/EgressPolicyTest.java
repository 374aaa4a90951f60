package dev.keyline.platform.egress;

import static dev.keyline.platform.egress.EgressTestSupport.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.egress.EgressPolicy.Rules;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's decisions on their own, without resolver or network. */
class EgressPolicyTest {

    private static ConnectorException refusal(Runnable check) {
        ConnectorException refusal = catchThrowableOfType(check::run, ConnectorException.class);
        assertThat(refusal).as("expected a refusal").isNotNull();
        assertThat(refusal.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
        return refusal;
    }

    @Test
    void anOrdinaryHttpsUrlIsParsedIntoWhatTheWireWillUse() {
        Destination destination = EgressPolicy.defaults()
                .destination(URI.create("HTTPS://SCIM.Example.COM/scim/v2/Users?filter=userName%20eq%20%22a%22#frag"));

        assertThat(destination.scheme()).isEqualTo("https");
        assertThat(destination.host()).isEqualTo("scim.example.com");
        assertThat(destination.port()).isEqualTo(443);
        assertThat(destination.literal()).isEmpty();
        assertThat(destination.target()).isEqualTo("/scim/v2/Users?filter=userName%20eq%20%22a%22");
        assertThat(destination).hasToString("https://scim.example.com");
    }

    @Test
    void anEmptyPathBecomesSlashAndAnExplicitPortIsKept() {
        Destination destination = EgressPolicy.defaults().destination(URI.create("https://scim.example.com:8443"));
        assertThat(destination.target()).isEqualTo("/");
        assertThat(destination.port()).isEqualTo(8443);
        assertThat(destination.origin()).isEqualTo("https://scim.example.com:8443");
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() {
        URI uri = URI.create("http://scim.example.com/");
        assertThat(refusal(() -> EgressPolicy.defaults().destination(uri)).getMessage())
                .isEqualTo("Keyline does not connect to scim.example.com: only https is allowed, and this URL uses"
                        + " plain http.");
        assertThat(new EgressPolicy(Rules.DEFAULT.withAllowHttp(true))
                        .destination(uri)
                        .port())
                .isEqualTo(80);
    }

    @Test
    void publicAddressesArePinnedWithoutTheirHostName() throws Exception {
        EgressPolicy policy = EgressPolicy.defaults();
        Destination destination = policy.destination(URI.create("https://scim.example.com/"));
        var resolved =
                java.net.InetAddress.getByAddress("scim.example.com", new byte[] {93, (byte) 184, (byte) 216, 34});

        var pinned = policy.pin(destination, List.of(resolved, ip("2606:2800:220:1:248:1893:25c8:1946")));

        assertThat(pinned.getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(pinned.toString()).isEqualTo("/93.184.216.34");
    }

    @Test
    void publicIpLiteralsAreAcceptedIncludingIpv6AndPublicEmbeddings() {
        EgressPolicy policy = EgressPolicy.defaults();
        assertThat(policy.destination(URI.create("https://93.184.216.34/")).literal())
                .isPresent();
        Destination v6 = policy.destination(URI.create("https://[2606:4700:4700:0:0:0:0:1111]:8443/"));
        assertThat(v6.host()).isEqualTo("2606:4700:4700::1111");
        assertThat(v6.origin()).isEqualTo("https://[2606:4700:4700::1111]:8443");
        // NAT64 and 6to4 are judged by the IPv4 address inside: public inside, public outside.
        assertThat(policy.destination(URI.create("https://[64:ff9b::5db8:d822]/"))
                        .literal())
                .isPresent();
        assertThat(policy.destination(URI.create("https://[2002:5db8:d822::1]/"))
                        .literal())
                .isPresent();
    }

    @Test
    void allowCidrsOpenExactlyTheListedBlock() {
        EgressPolicy policy = new EgressPolicy(Rules.DEFAULT.withAllowCidrs("10.20.0.0/16", "fd00:1234::/32"));
        Destination bridge = policy.destination(URI.create("https://scim-bridge.corp.example/"));

        assertThat(policy.pin(bridge, List.of(ip("10.20.1.1"))).getHostAddress())
                .isEqualTo("10.20.1.1");
        assertThat(policy.pin(bridge, List.of(ip("fd00:1234::5")))).isNotNull();
        refusal(() -> policy.pin(bridge, List.of(ip("10.21.0.1"))));
        refusal(() -> policy.pin(bridge, List.of(ip("127.0.0.1"))));
        assertThat(policy.destination(URI.create("https://10.20.3.4/")).literal())
                .isPresent();
        refusal(() -> policy.destination(URI.create("https://10.21.3.4/")));
    }

    @Test
    void allowHostsMatchExactNamesAndSuffixesButNotTheSuffixItself() {
        EgressPolicy policy = new EgressPolicy(Rules.DEFAULT.withAllowHosts("bridge", "*.corp.example"));

        assertThat(policy.destination(URI.create("https://bridge/")).allowListed())
                .isTrue();
        assertThat(policy.destination(URI.create("https://a.b.corp.example/")).allowListed())
                .isTrue();
        assertThat(policy.destination(URI.create("https://corp.example/")).allowListed())
                .isFalse();
        assertThat(policy.destination(URI.create("https://evilcorp.example/")).allowListed())
                .isFalse();
        refusal(() -> policy.destination(URI.create("https://other/")));
        Destination bridge = policy.destination(URI.create("https://bridge:3002/"));
        assertThat(policy.pin(bridge, List.of(ip("10.0.0.8")))).isNotNull();
    }

    @Test
    void denyCidrsRefusePublicAddressesAndWinOverEveryAllowance() {
        EgressPolicy policy = new EgressPolicy(Rules.DEFAULT
                .withAllowCidrs("10.0.0.0/8")
                .withAllowHosts("scim.corp.example")
                .withDenyCidrs("93.184.216.0/24", "10.9.0.0/16"));

        Destination name = policy.destination(URI.create("https://scim.example.com/"));
        refusal(() -> policy.pin(name, List.of(ip("93.184.216.34"))));
        Destination listed = policy.destination(URI.create("https://scim.corp.example/"));
        refusal(() -> policy.pin(listed, List.of(ip("10.9.0.1"))));
        assertThat(policy.pin(listed, List.of(ip("10.8.0.1")))).isNotNull();
    }

    @Test
    void ipv4MappedAddressesAreRefusedEvenWhenEverythingIsAllowed() {
        EgressPolicy policy = new EgressPolicy(Rules.DEFAULT.withAllowCidrs("0.0.0.0/0", "::/0"));
        Destination destination = policy.destination(URI.create("https://scim.example.com/"));
        refusal(() -> policy.pin(destination, List.of(ip("::ffff:93.184.216.34"))));
        refusal(() -> policy.destination(URI.create("https://[::ffff:93.184.216.34]/")));
    }

    @Test
    void refusalsNameTheHostButNeverUserInfoPathOrQuery() {
        EgressPolicy policy = EgressPolicy.defaults();
        for (String url : List.of(
                "https://admin:hunter2@10.0.0.1/private/path?token=s3cret",
                "https://10.0.0.1/private/path?token=s3cret",
                "ftp://scim.example.com/private/path?token=s3cret",
                "https://127.1/private/path?token=s3cret")) {
            String message = refusal(() -> policy.destination(URI.create(url))).getMessage();
            assertThat(message).as(url).startsWith("Keyline does not connect to ");
            assertThat(message).as(url).doesNotContain("hunter2", "admin", "private/path", "token", "s3cret");
        }
        assertThat(refusal(() -> policy.destination(URI.create("https://10.0.0.1/?token=s3cret")))
                        .getMessage())
                .isEqualTo("Keyline does not connect to 10.0.0.1: it is a private, local or reserved address. If"
                        + " this is your own server inside your network, ask the Keyline operator to allow it.");
    }

    @Test
    void textFromAFormIsCheckedBeforeItIsParsed() {
        EgressPolicy policy = EgressPolicy.defaults();
        assertThat(policy.destination("https://scim.example.com/scim/v2").host())
                .isEqualTo("scim.example.com");
        refusal(() -> policy.destination(" https://scim.example.com/"));
        refusal(() -> policy.destination("https://scim.example.com\\@evil.example.net/"));
        refusal(() -> policy.destination("https://scim.example.com/%zz"));
    }

    @Test
    void malformedSettingsAreRejectedNamingTheEntry() {
        assertThatThrownBy(() -> new EgressPolicy(Rules.DEFAULT.withAllowCidrs("10.0.0.1/8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.1/8");
        for (String bad : List.of("10.0.0.0/33", "10/8", "not-a-cidr", "0x0a.0.0.0/8", "fe80::1%eth0/64", "")) {
            assertThatThrownBy(() -> new EgressPolicy(Rules.DEFAULT.withDenyCidrs(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : List.of("10.0.0.1", "*.", "exa mple.com", "*", "*.*.example.com", "")) {
            assertThatThrownBy(() -> new EgressPolicy(Rules.DEFAULT.withAllowHosts(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("allow-hosts");
        }
    }
}
