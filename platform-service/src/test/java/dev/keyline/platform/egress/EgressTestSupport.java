package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpResponse;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Fakes shared by the egress tests: a scripted resolver that counts lookups, and an exchange spy. */
final class EgressTestSupport {

    private EgressTestSupport() {}

    static InetAddress ip(String literal) {
        byte[] bytes = IpAddresses.parseIpv4(literal)
                .or(() -> IpAddresses.parseIpv6(literal))
                .orElseThrow(() -> new IllegalArgumentException(literal));
        try {
            // Inet6Address keeps an IPv4-mapped address as IPv6, as a resolver's AAAA answer could.
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Answers each name from a script, one answer per lookup (the last answer repeats), and counts the
     * lookups. Unknown names fail as the system resolver would.
     */
    static final class ScriptedResolver implements HostResolver {
        private final Map<String, List<List<InetAddress>>> answers = new HashMap<>();
        private final Map<String, AtomicInteger> lookups = new LinkedHashMap<>();

        ScriptedResolver answer(String host, String... addresses) {
            List<InetAddress> answer = new ArrayList<>();
            for (String address : addresses) {
                answer.add(ip(address));
            }
            answers.computeIfAbsent(host, h -> new ArrayList<>()).add(answer);
            return this;
        }

        @Override
        public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
            int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
            List<List<InetAddress>> script = answers.get(host);
            if (script == null) {
                throw new UnknownHostException(host);
            }
            return script.get(Math.min(n, script.size() - 1));
        }

        synchronized int lookups(String host) {
            AtomicInteger count = lookups.get(host);
            return count == null ? 0 : count.get();
        }

        synchronized int lookups() {
            return lookups.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /** Records every hop that reached the wire side; answers from a function or passes on to a real exchange. */
    static final class SpyExchange implements EgressTransport.Exchange {
        private final List<EgressTransport.Hop> hops = Collections.synchronizedList(new ArrayList<>());
        private final Function<EgressTransport.Hop, HttpResponse> answer;

        SpyExchange(Function<EgressTransport.Hop, HttpResponse> answer) {
            this.answer = requireNonNull(answer, "answer is null");
        }

        static SpyExchange wrapping(EgressTransport.Exchange real) {
            return new SpyExchange(hop -> real.exchange(hop, System.nanoTime() + 2_000_000_000L));
        }

        @Override
        public HttpResponse exchange(EgressTransport.Hop hop, long deadlineNanos) {
            hops.add(hop);
            return answer.apply(hop);
        }

        List<EgressTransport.Hop> hops() {
            return List.copyOf(hops);
        }
    }

    static HttpResponse ok(EgressTransport.Hop hop) {
        return new HttpResponse(200, hop.uri(), Map.of(), "ok".getBytes());
    }

    static HttpResponse redirect(EgressTransport.Hop hop, int status, String location) {
        return new HttpResponse(status, hop.uri(), Map.of("Location", List.of(location)), new byte[0]);
    }
}
