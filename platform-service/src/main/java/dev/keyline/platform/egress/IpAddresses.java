package dev.keyline.platform.egress;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Strict parsing of IP literals and the built-in list of address blocks Keyline never contacts unless an
 * operator allows them. The parsers accept only the canonical spellings: the JDK's and libc's parsers accept
 * many more (octal, hex, short forms), and any difference between what we check and what a later component
 * connects to is an opening.
 */
final class IpAddresses {

    /** A block with the reason it is refused, as shown to operators in logs. */
    record Range(Cidr cidr, String label) {
        static Range of(String cidr, String label) {
            return new Range(Cidr.parse(cidr), cidr + " " + label);
        }
    }

    /** Every IPv4 block that is not ordinary public unicast (IANA special-purpose registry, trimmed). */
    static final List<Range> IPV4_DENIED = List.of(
            Range.of("0.0.0.0/8", "(this network, includes 0.0.0.0 unspecified)"),
            Range.of("10.0.0.0/8", "(private)"),
            Range.of("100.64.0.0/10", "(shared address space, carrier-grade NAT)"),
            Range.of("127.0.0.0/8", "(loopback)"),
            Range.of("169.254.0.0/16", "(link-local, includes cloud metadata 169.254.169.254)"),
            Range.of("172.16.0.0/12", "(private)"),
            Range.of("192.0.0.0/24", "(IETF protocol assignments, includes NAT64 discovery)"),
            Range.of("192.0.2.0/24", "(documentation TEST-NET-1)"),
            Range.of("192.88.99.0/24", "(6to4 relay anycast, deprecated)"),
            Range.of("192.168.0.0/16", "(private)"),
            Range.of("198.18.0.0/15", "(benchmarking)"),
            Range.of("198.51.100.0/24", "(documentation TEST-NET-2)"),
            Range.of("203.0.113.0/24", "(documentation TEST-NET-3)"),
            Range.of("224.0.0.0/4", "(multicast)"),
            Range.of("240.0.0.0/4", "(reserved, includes 255.255.255.255 broadcast)"));

    /**
     * IPv6 blocks refused outright. Anything outside 2000::/3 (global unicast) is refused as well, except
     * NAT64 64:ff9b::/96 whose embedded IPv4 address is judged instead; 6to4 2002::/16 likewise.
     */
    static final List<Range> IPV6_DENIED = List.of(
            Range.of("::/128", "(unspecified)"),
            Range.of("::1/128", "(loopback)"),
            Range.of("::ffff:0:0/96", "(IPv4-mapped)"),
            Range.of("::/96", "(IPv4-compatible, deprecated)"),
            Range.of("64:ff9b:1::/48", "(local-use NAT64)"),
            Range.of("100::/64", "(discard-only)"),
            Range.of("2001::/23", "(IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID)"),
            Range.of("2001:db8::/32", "(documentation)"),
            Range.of("3fff::/20", "(documentation)"),
            Range.of("fc00::/7", "(unique local)"),
            Range.of("fe80::/10", "(link-local)"),
            Range.of("fec0::/10", "(site-local, deprecated)"),
            Range.of("ff00::/8", "(multicast)"));

    private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr IPV4_MAPPED = Cidr.parse("::ffff:0:0/96");

    private IpAddresses() {}

    /** Why this address is never contacted by default, or empty when it is ordinary public unicast. */
    static Optional<String> reservedRange(byte[] address) {
        if (address.length == 4) {
            return IPV4_DENIED.stream()
                    .filter(range -> range.cidr().contains(address))
                    .map(Range::label)
                    .findFirst();
        }
        for (Range range : IPV6_DENIED) {
            if (range.cidr().contains(address)) {
                return Optional.of(range.label());
            }
        }
        if (NAT64.contains(address)) {
            return reservedRange(Arrays.copyOfRange(address, 12, 16))
                    .map(inner -> "64:ff9b::/96 (NAT64) embedding " + inner);
        }
        if (SIX_TO_FOUR.contains(address)) {
            return reservedRange(Arrays.copyOfRange(address, 2, 6)).map(inner -> "2002::/16 (6to4) embedding " + inner);
        }
        if (!GLOBAL_UNICAST.contains(address)) {
            return Optional.of("outside 2000::/3 (not global unicast)");
        }
        return Optional.empty();
    }

    static boolean isIpv4Mapped(byte[] address) {
        return IPV4_MAPPED.contains(address);
    }

    /** A canonical dotted quad: four decimal parts 0 to 255, no leading zeros, nothing else. */
    static Optional<byte[]> parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("0|[1-9][0-9]{0,2}")) {
                return Optional.empty();
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    /**
     * Standard IPv6 text (RFC 4291 section 2.2): eight groups of one to four hex digits, one {@code ::} at
     * most, an optional canonical dotted quad in the last 32 bits. No zone id, no brackets.
     */
    static Optional<byte[]> parseIpv6(String text) {
        if (text.isEmpty() || !text.matches("[0-9A-Fa-f:.]+") || !text.contains(":")) {
            return Optional.empty();
        }
        String body = text;
        byte[] tail = null;
        if (text.contains(".")) {
            int colon = text.lastIndexOf(':');
            Optional<byte[]> quad = parseIpv4(text.substring(colon + 1));
            if (quad.isEmpty()) {
                return Optional.empty();
            }
            tail = quad.get();
            // Keep the colon so that "::1.2.3.4" leaves "::" behind, then drop a lone trailing one.
            body = text.substring(0, colon + 1);
            if (body.endsWith(":") && !body.endsWith("::")) {
                body = body.substring(0, body.length() - 1);
            }
        }
        int groupsWanted = tail == null ? 8 : 6;
        int gap = body.indexOf("::");
        if (gap >= 0 && body.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        List<String> head;
        List<String> rest;
        if (gap >= 0) {
            head = groups(body.substring(0, gap));
            rest = groups(body.substring(gap + 2));
            if (head == null || rest == null || head.size() + rest.size() > groupsWanted - 1) {
                return Optional.empty();
            }
        } else {
            head = groups(body);
            rest = List.of();
            if (head == null || head.size() != groupsWanted) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[16];
        int index = 0;
        for (String group : head) {
            index = put(bytes, index, group);
        }
        index = (groupsWanted - rest.size()) * 2;
        for (String group : rest) {
            index = put(bytes, index, group);
        }
        if (tail != null) {
            System.arraycopy(tail, 0, bytes, 12, 4);
        }
        return Optional.of(bytes);
    }

    /** The groups of a colon-separated run, or null if a group is empty or too long. */
    private static List<String> groups(String run) {
        if (run.isEmpty()) {
            return List.of();
        }
        String[] groups = run.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4 || group.contains(".")) {
                return null;
            }
        }
        return List.of(groups);
    }

    private static int put(byte[] bytes, int index, String group) {
        int value = Integer.parseInt(group, 16);
        bytes[index] = (byte) (value >> 8);
        bytes[index + 1] = (byte) value;
        return index + 2;
    }

    /** Dotted quad, or IPv6 with the longest run of zero groups compressed (RFC 5952). */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
