package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. IPv4 blocks match only IPv4 addresses and
 * IPv6 blocks only IPv6 addresses: an IPv4-mapped IPv6 address never matches an IPv4 block here, because the
 * policy refuses those outright instead of translating them.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        requireNonNull(network, "network is null");
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network must have 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
        network = mask(network.clone(), prefix);
    }

    /**
     * Parses {@code address/prefix} strictly (canonical dotted quads, standard IPv6 text); a bare address is
     * a single-address block. Host bits set in the address are an error, as they usually mean a typo.
     */
    public static Cidr parse(String text) {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        Optional<byte[]> bytes = IpAddresses.parseIpv4(address).or(() -> IpAddresses.parseIpv6(address));
        if (bytes.isEmpty()) {
            throw new IllegalArgumentException("not an IP address block: '" + text + "'");
        }
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            if (!digits.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("not an IP address block: '" + text + "'");
            }
            prefix = Integer.parseInt(digits);
        }
        if (!Arrays.equals(mask(bytes.get().clone(), prefix), bytes.get())) {
            throw new IllegalArgumentException(
                    "'" + text + "' has bits set past its prefix; write the block's first address");
        }
        return new Cidr(bytes.get(), prefix);
    }

    public boolean contains(byte[] address) {
        requireNonNull(address, "address is null");
        if (address.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(address.clone(), prefix), network);
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && prefix == cidr.prefix && Arrays.equals(network, cidr.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefix;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        return bytes;
    }
}
