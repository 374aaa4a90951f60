package dev.keyline.platform.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. The transport asks once per hop and connects only to an address from
 * that one answer, so tests can make any name resolve anywhere and count the lookups.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address the name resolves to.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The operating system's resolver (through the JDK's cache). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
