package dev.keyline.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict IP parsers, the formatter, blocks, and the built-in classification. */
class EgressAddressesTest {

    private static byte[] v6(String text) {
        return IpAddresses.parseIpv6(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @Test
    void onlyCanonicalDottedQuadsAreIpv4() {
        assertThat(IpAddresses.parseIpv4("93.184.216.34")).isPresent();
        assertThat(IpAddresses.parseIpv4("0.0.0.0")).isPresent();
        for (String odd : List.of(
                "127.1",
                "0177.0.0.1",
                "0x7f.0.0.1",
                "127.0.0.01",
                "256.1.1.1",
                "1.2.3.4.",
                "1..2.3",
                "+1.2.3.4",
                "1.2.3.4 ",
                "١٢٧.0.0.1")) {
            assertThat(IpAddresses.parseIpv4(odd)).as(odd).isEmpty();
        }
    }

    @Test
    void ipv6TextIsParsedStrictlyAndFormattedCanonically() {
        assertThat(IpAddresses.format(v6("2001:DB8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.format(v6("::"))).isEqualTo("::");
        assertThat(IpAddresses.format(v6("::1"))).isEqualTo("::1");
        assertThat(IpAddresses.format(v6("fe80::"))).isEqualTo("fe80::");
        assertThat(IpAddresses.format(v6("::ffff:127.0.0.1"))).isEqualTo("::ffff:7f00:1");
        assertThat(IpAddresses.format(v6("1:2:3:4:5:6:1.2.3.4"))).isEqualTo("1:2:3:4:5:6:102:304");
        for (String odd : List.of(
                ":::",
                "1:::2",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                "12345::",
                ":1::",
                "::1:",
                "fe80::1%eth0",
                "::127.0.0.01",
                "::ffff:127.1",
                "1.2.3.4",
                "g::1",
                "")) {
            assertThat(IpAddresses.parseIpv6(odd)).as(odd).isEmpty();
        }
    }

    @Test
    void blocksContainExactlyTheirAddresses() {
        Cidr private172 = Cidr.parse("172.16.0.0/12");
        assertThat(private172.contains(new byte[] {(byte) 172, 16, 0, 0})).isTrue();
        assertThat(private172.contains(new byte[] {(byte) 172, 31, (byte) 255, (byte) 255}))
                .isTrue();
        assertThat(private172.contains(new byte[] {(byte) 172, 32, 0, 0})).isFalse();
        assertThat(private172.contains(new byte[] {(byte) 172, 15, (byte) 255, (byte) 255}))
                .isFalse();
        assertThat(Cidr.parse("::/0").contains(new byte[4])).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(new byte[16])).isFalse();
        assertThat(Cidr.parse("10.1.2.3")).hasToString("10.1.2.3/32");
        assertThat(Cidr.parse("fc00::/7").contains(v6("fdff::1"))).isTrue();
        assertThat(Cidr.parse("fc00::/7").contains(v6("fe00::1"))).isFalse();
    }

    @Test
    void theBuiltInRangesRefuseWhatIsNotPublicUnicast() {
        for (String refused : List.of(
                "0.0.0.0",
                "10.255.255.255",
                "100.64.0.0",
                "100.127.255.255",
                "127.0.0.1",
                "169.254.169.254",
                "172.16.0.1",
                "192.0.0.8",
                "192.0.2.255",
                "192.88.99.1",
                "192.168.0.1",
                "198.19.255.255",
                "198.51.100.7",
                "203.0.113.9",
                "224.0.0.251",
                "239.255.255.250",
                "240.0.0.1",
                "255.255.255.255")) {
            byte[] address = IpAddresses.parseIpv4(refused).orElseThrow();
            assertThat(IpAddresses.reservedRange(address)).as(refused).isPresent();
        }
        for (String refused : List.of(
                "::",
                "::1",
                "::ffff:1.1.1.1",
                "::8.8.8.8",
                "64:ff9b::a00:1",
                "64:ff9b:1::8.8.8.8",
                "100::1",
                "2001::1",
                "2001:db8::1",
                "2002:a00:1::",
                "3fff::1",
                "5f00::1",
                "fc00::1",
                "fdff::1",
                "fe80::1",
                "fec0::1",
                "ff02::1",
                "4000::1",
                "1000::1")) {
            assertThat(IpAddresses.reservedRange(v6(refused))).as(refused).isPresent();
        }
        for (String allowed : List.of(
                "1.1.1.1",
                "8.8.8.8",
                "93.184.216.34",
                "100.63.255.255",
                "100.128.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "192.169.0.1",
                "223.255.255.255")) {
            byte[] address = IpAddresses.parseIpv4(allowed).orElseThrow();
            assertThat(IpAddresses.reservedRange(address)).as(allowed).isEmpty();
        }
        for (String allowed :
                List.of("2606:4700:4700::1111", "2a00:1450:4001::200e", "64:ff9b::808:808", "2002:808:808::1")) {
            assertThat(IpAddresses.reservedRange(v6(allowed))).as(allowed).isEmpty();
        }
    }
}
