package dev.keyline.platform.egress;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** THROWAWAY: time stamps of one live read at a time (the bench's client is sequential). */
@ApplicationScoped
public class Stamps {
    public static final String[] NAMES = {
        "arrive",
        "resource",
        "worker",
        "lookups",
        "connector",
        "guard-in",
        "send",
        "on-loop",
        "resp-end",
        "worker-back",
        "connector-out",
        "dtos",
        "write-start",
        "serialised",
        "end"
    };
    static final long[] T = new long[NAMES.length];
    static final List<long[]> ROWS = new ArrayList<>();
    static volatile boolean live;

    public static void mark(int i) {
        if (live) {
            T[i] = System.nanoTime();
        }
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            boolean isLive = rc.request().uri().contains("mode=live");
            live = isLive;
            if (ROWS.isEmpty()) System.err.println("STAMP route " + rc.request().uri());
            if (isLive) {
                Arrays.fill(T, 0);
                T[0] = System.nanoTime();
                rc.addEndHandler(v -> {
                    T[14] = System.nanoTime();
                    record();
                });
            }
            rc.next();
        });
    }

    private static synchronized void record() {
        ROWS.add(T.clone());
        if (ROWS.size() % 50 == 0) {
            StringBuilder out =
                    new StringBuilder("STAMPS n=" + ROWS.size() + " (median µs from previous stamp, last 100):");
            List<long[]> last = ROWS.subList(ROWS.size() - 50, ROWS.size());
            for (int i = 1; i < NAMES.length; i++) {
                long[] d = new long[last.size()];
                int n = 0;
                for (long[] r : last) {
                    int p = i - 1;
                    while (p > 0 && r[p] == 0) p--;
                    if (r[i] != 0) d[n++] = (r[i] - r[p]) / 1000;
                }
                long[] s = Arrays.copyOf(d, n);
                Arrays.sort(s);
                out.append(' ').append(NAMES[i]).append('=').append(n == 0 ? -1 : s[n / 2]);
            }
            long[] tot =
                    last.stream().mapToLong(r -> (r[14] - r[0]) / 1000).sorted().toArray();
            out.append(" total=").append(tot[tot.length / 2]);
            org.jboss.logging.Logger.getLogger(Stamps.class).info(out);
        }
    }
}
