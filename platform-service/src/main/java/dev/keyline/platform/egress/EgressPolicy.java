package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Decides which destinations connectors may reach. Pure logic, no network: {@link #destination(URI)} parses
 * a URL strictly and refuses odd spellings, {@link #pin(Destination, List)} judges every address a name
 * resolved to and picks the one to connect to. Refusals are {@link ErrorCode#EGRESS_DENIED} with a sentence
 * that names the host and never the user info, path or query.
 *
 * <p>Order of the address rules: IPv4-mapped IPv6 is always refused; then the operator's {@code deny-cidrs};
 * then a host in {@code allow-hosts} or an address in {@code allow-cidrs} is allowed; everything else must
 * be ordinary public unicast (see {@link IpAddresses}).
 */
public final class EgressPolicy {
    private static final Logger LOG = Logger.getLogger(EgressPolicy.class);

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

    /**
     * Names that only mean something on the local machine or network (RFC 6761, RFC 6762, RFC 8375, common
     * cloud-internal zones). Resolution would catch most, but a name refused as a name cannot rebind.
     */
    private static final List<String> LOCAL_NAMES = List.of("localhost");

    private static final List<String> LOCAL_SUFFIXES =
            List.of(".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".arpa");

    private static final String HOW_TO_ALLOW =
            " If this is your own server inside your network, ask the Keyline operator to allow it.";

    /**
     * What operators configure.
     *
     * @param allowCidrs blocks that may be contacted although built-in rules refuse them
     * @param allowHosts exact names, or {@code *.suffix} for every name below the suffix, that may resolve
     *     anywhere (still subject to {@code denyCidrs})
     * @param denyCidrs blocks refused in any case, in addition to the built-in ones
     */
    public record Rules(boolean allowHttp, List<String> allowCidrs, List<String> allowHosts, List<String> denyCidrs) {
        public static final Rules DEFAULT = new Rules(false, List.of(), List.of(), List.of());

        public Rules {
            allowCidrs = List.copyOf(allowCidrs);
            allowHosts = List.copyOf(allowHosts);
            denyCidrs = List.copyOf(denyCidrs);
        }

        public Rules withAllowHttp(boolean allowHttp) {
            return new Rules(allowHttp, allowCidrs, allowHosts, denyCidrs);
        }

        public Rules withAllowCidrs(String... cidrs) {
            return new Rules(allowHttp, List.of(cidrs), allowHosts, denyCidrs);
        }

        public Rules withAllowHosts(String... hosts) {
            return new Rules(allowHttp, allowCidrs, List.of(hosts), denyCidrs);
        }

        public Rules withDenyCidrs(String... cidrs) {
            return new Rules(allowHttp, allowCidrs, allowHosts, List.of(cidrs));
        }
    }

    private final boolean allowHttp;
    private final List<Cidr> allowCidrs;
    private final List<String> allowHosts;
    private final List<Cidr> denyCidrs;

    /** @throws IllegalArgumentException naming the entry, when a CIDR or host pattern is malformed */
    public EgressPolicy(Rules rules) {
        requireNonNull(rules, "rules is null");
        this.allowHttp = rules.allowHttp();
        this.allowCidrs = rules.allowCidrs().stream().map(Cidr::parse).toList();
        this.denyCidrs = rules.denyCidrs().stream().map(Cidr::parse).toList();
        List<String> hosts = new ArrayList<>();
        for (String pattern : rules.allowHosts()) {
            hosts.add(hostPattern(pattern));
        }
        this.allowHosts = List.copyOf(hosts);
    }

    public static EgressPolicy defaults() {
        return new EgressPolicy(Rules.DEFAULT);
    }

    /** The same checks as {@link #destination(URI)}, for text a person typed (a SCIM URL in a form). */
    public Destination destination(String url) {
        requireNonNull(url, "url is null");
        if (!printableAscii(url)) {
            throw denied(null, "the address contains spaces, control characters, backslashes or non-ASCII characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw denied(null, "it is not a valid URL");
        }
        return destination(uri);
    }

    /**
     * Parses where a request would go, refusing anything but a plain {@code scheme://host[:port]/path?query}
     * with an allowed scheme, a well-formed name or canonical IP literal, and no user info. An IP literal is
     * judged here too; a name is judged once resolved, by {@link #pin(Destination, List)}.
     */
    public Destination destination(URI uri) {
        requireNonNull(uri, "uri is null");
        if (!printableAscii(uri.toString())) {
            throw denied(null, "the address contains spaces, control characters, backslashes or non-ASCII characters");
        }
        if (uri.isOpaque() || uri.getScheme() == null) {
            throw denied(null, "it is not an absolute https URL");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw denied(null, "the URL has no host");
        }
        if (authority.contains("@")) {
            throw denied(
                    authority.substring(authority.lastIndexOf('@') + 1),
                    "the URL carries a user name or password in front of the host (enter credentials in their own fields)");
        }
        String rawHost;
        String rawPort;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw denied(null, "its IPv6 address is not closed with ']'");
            }
            rawHost = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw denied(rawHost, "unexpected text follows the IPv6 address");
            }
            rawPort = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            rawHost = colon < 0 ? authority : authority.substring(0, colon);
            rawPort = colon < 0 ? null : authority.substring(colon + 1);
            if (rawHost.contains(":")) {
                throw denied(null, "the host is not valid (an IPv6 address must be in brackets)");
            }
        }

        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String shownHost = rawHost.toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw denied(
                    shownHost,
                    scheme.equals("http")
                            ? "only https is allowed, and this URL uses plain http"
                            : "only https is allowed, and this URL uses '" + scheme + "'");
        }

        int port = scheme.equals("https") ? 443 : 80;
        if (rawPort != null) {
            if (!PORT.matcher(rawPort).matches() || Integer.parseInt(rawPort) > 65535) {
                throw denied(shownHost, "its port is not a number from 1 to 65535 written plainly");
            }
            port = Integer.parseInt(rawPort);
        }

        Optional<byte[]> literal;
        String host;
        if (rawHost.startsWith("[")) {
            String inner = rawHost.substring(1, rawHost.length() - 1);
            if (inner.contains("%")) {
                throw denied(shownHost, "IPv6 zone ids are not allowed");
            }
            literal = IpAddresses.parseIpv6(inner);
            if (literal.isEmpty()) {
                throw denied(shownHost, "it is not a valid IPv6 address");
            }
            if (IpAddresses.isIpv4Mapped(literal.get()) || isIpv4Compatible(literal.get())) {
                throw denied(shownHost, "it is an IPv4 address written as IPv6");
            }
            host = IpAddresses.format(literal.get());
        } else {
            host = rawHost.toLowerCase(Locale.ROOT);
            literal = hostLiteral(host);
        }
        if (!sameHost(uri.getHost(), rawHost) || uri.getPort() != (rawPort == null ? -1 : port)) {
            // java.net.URI read the authority differently from us; refuse rather than guess which is right.
            throw denied(shownHost, "the host is not valid");
        }

        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!path.startsWith("/")) {
            throw denied(host, "its path is not absolute");
        }
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        boolean allowListed = literal.isEmpty() && allowHosts.stream().anyMatch(pattern -> matches(pattern, host));
        Destination destination = new Destination(scheme, host, port, literal, target, allowListed);
        if (literal.isEmpty() && !allowListed) {
            if (LOCAL_NAMES.contains(host) || LOCAL_SUFFIXES.stream().anyMatch(host::endsWith)) {
                throw deniedUnlessAllowed(host, "it names the local machine or a local network");
            }
            if (!host.contains(".")) {
                throw deniedUnlessAllowed(host, "it is not a fully qualified domain name");
            }
        }
        literal.ifPresent(bytes -> check(destination, bytes));
        return destination;
    }

    /**
     * Judges every address the destination's name resolved to, and returns the one to connect to: the first,
     * stripped of any host name and scope, so nothing downstream resolves again.
     */
    public InetAddress pin(Destination destination, List<InetAddress> addresses) {
        requireNonNull(destination, "destination is null");
        requireNonNull(addresses, "addresses is null");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no addresses to judge");
        }
        for (InetAddress address : addresses) {
            check(destination, address.getAddress());
        }
        try {
            return InetAddress.getByAddress(addresses.get(0).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes was refused", e);
        }
    }

    /** Why this address may not be contacted for this destination, or empty when it may. */
    Optional<String> refusal(Destination destination, byte[] address) {
        if (address.length == 16 && IpAddresses.isIpv4Mapped(address)) {
            return Optional.of("::ffff:0:0/96 (IPv4-mapped)");
        }
        for (Cidr cidr : denyCidrs) {
            if (cidr.contains(address)) {
                return Optional.of(cidr + " (keyline.egress.deny-cidrs)");
            }
        }
        if (destination.allowListed() || allowCidrs.stream().anyMatch(cidr -> cidr.contains(address))) {
            return Optional.empty();
        }
        return IpAddresses.reservedRange(address);
    }

    private void check(Destination destination, byte[] address) {
        Optional<String> refusal = refusal(destination, address);
        if (refusal.isPresent()) {
            // The range goes to the operator's log only: telling the user which internal range a name
            // resolves to would map the operator's network for them.
            LOG.infof(
                    "Egress denied: %s resolves to %s in %s",
                    destination.origin(), IpAddresses.format(address), refusal.get());
            throw deniedUnlessAllowed(
                    destination.host(),
                    destination.literal().isPresent()
                            ? "it is a private, local or reserved address"
                            : "it points to a private, local or reserved address");
        }
    }

    /** The address when the host is written as an IPv4 literal; refuses every other numeric spelling. */
    private static Optional<byte[]> hostLiteral(String host) {
        if (host.isEmpty()) {
            throw denied(null, "the URL has no host");
        }
        if (host.endsWith(".")) {
            throw denied(host, "a trailing dot after the host is not allowed");
        }
        if (host.length() > 253) {
            throw denied(null, "the host name is too long");
        }
        String[] labels = host.split("\\.", -1);
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            Optional<byte[]> quad = IpAddresses.parseIpv4(host);
            if (quad.isEmpty()) {
                throw denied(host, "it is an unusual way of writing an IP address; write it as four decimal numbers");
            }
            return quad;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw denied(host, "it is not a valid host name");
            }
        }
        return Optional.empty();
    }

    private static boolean isIpv4Compatible(byte[] address) {
        for (int i = 0; i < 15; i++) {
            if (address[i] != 0) {
                return i >= 12;
            }
        }
        // :: and ::1 are judged (and refused) as unspecified and loopback, with clearer reasons.
        return false;
    }

    private static boolean sameHost(String uriHost, String rawHost) {
        return uriHost != null && uriHost.equalsIgnoreCase(rawHost);
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1));
        }
        return host.equals(pattern);
    }

    private static String hostPattern(String pattern) {
        String normalized = pattern.strip().toLowerCase(Locale.ROOT);
        String name = normalized.startsWith("*.") ? normalized.substring(2) : normalized;
        String[] labels = name.split("\\.", -1);
        boolean valid = !name.isEmpty()
                && Arrays.stream(labels).allMatch(label -> LABEL.matcher(label).matches())
                && !NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches();
        if (!valid) {
            throw new IllegalArgumentException("keyline.egress.allow-hosts: '" + pattern
                    + "' is not a host name or *.suffix (allow IP addresses with allow-cidrs)");
        }
        return normalized;
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** A refusal naming the host (when it can be shown) and the reason; never the path, query or user info. */
    static ConnectorException denied(String host, String reason) {
        String who = host == null ? "this address" : abbreviate(host);
        return new ConnectorException(
                ErrorCode.EGRESS_DENIED, "Keyline does not connect to " + who + ": " + reason + ".");
    }

    /** A refusal of a destination that an operator could allow. */
    private static ConnectorException deniedUnlessAllowed(String host, String reason) {
        ConnectorException denied = denied(host, reason);
        return new ConnectorException(ErrorCode.EGRESS_DENIED, denied.getMessage() + HOW_TO_ALLOW);
    }

    private static String abbreviate(String host) {
        return host.length() <= 80 ? host : host.substring(0, 77) + "...";
    }
}
