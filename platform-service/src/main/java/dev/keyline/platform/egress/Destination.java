package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where a request goes, as the egress policy parsed it. The transport connects using these fields only, never
 * the original URI's own reading of itself, so what was checked is what is contacted.
 *
 * @param host lower-case host name, or the canonical text of an IP literal (IPv6 without brackets)
 * @param literal the address when the host is an IP literal
 * @param target the raw path and query to put on the request line, at least {@code /}; never logged
 * @param allowListed whether an operator's {@code allow-hosts} entry matched the name
 */
public record Destination(
        String scheme, String host, int port, Optional<byte[]> literal, String target, boolean allowListed) {

    public Destination {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(host, "host is null");
        requireNonNull(literal, "literal is null");
        requireNonNull(target, "target is null");
        literal = literal.map(byte[]::clone);
    }

    public boolean https() {
        return scheme.equals("https");
    }

    public boolean defaultPort() {
        return port == (https() ? 443 : 80);
    }

    /** Scheme, host and port: what decides whether credentials may follow a redirect. */
    public String origin() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + shown + (defaultPort() ? "" : ":" + port);
    }

    /** Only the origin: the path and query may hold things that are nobody's business in a log. */
    @Override
    public String toString() {
        return origin();
    }
}
