package dev.keyline.connector.tck.okta;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A scripted misbehaviour of an {@link OktaDouble}: a 429 with Okta's {@code x-rate-limit-*} headers, a 500, or a
 * 403 {@code E0000006} (an administrator or a token without the permission for one endpoint, such as
 * {@code /api/v1/iam/assignees/users} or a user's factors). By default it strikes every matching request; narrow it
 * with {@link #on(String)}, {@link #afterSkipping(int)} and {@link #forNext(int)}, each of which returns a new fault.
 * Counting happens under the double's lock.
 */
public final class OktaFault {
    /** What the fault answers. */
    public enum Kind {
        RATE_LIMITED,
        SERVER_ERROR,
        FORBIDDEN
    }

    private final Kind kind;
    private final Duration wait;
    private final Pattern path;
    private int skip;
    private int remaining;
    private int hits;

    private OktaFault(Kind kind, Duration wait, Pattern path, int skip, int remaining) {
        this.kind = requireNonNull(kind, "kind is null");
        this.wait = wait;
        this.path = path;
        this.skip = skip;
        this.remaining = remaining;
    }

    /** 429, {@code x-rate-limit-reset} this far from now, E0000047. */
    public static OktaFault rateLimited(Duration wait) {
        if (requireNonNull(wait, "wait is null").isNegative()) {
            throw new IllegalArgumentException("negative wait");
        }
        return new OktaFault(Kind.RATE_LIMITED, wait, null, 0, -1);
    }

    /** 500, E0000009 (Internal Server Error). */
    public static OktaFault serverError() {
        return new OktaFault(Kind.SERVER_ERROR, null, null, 0, -1);
    }

    /** 403, E0000006 (You do not have permission to perform the requested action). */
    public static OktaFault forbidden() {
        return new OktaFault(Kind.FORBIDDEN, null, null, 0, -1);
    }

    /** Only requests whose path (without query) matches this regular expression, e.g. {@code /api/v1/iam/.*}. */
    public OktaFault on(String pathRegex) {
        return new OktaFault(kind, wait, Pattern.compile(pathRegex), skip, remaining);
    }

    /** Lets the first {@code n} matching requests through: {@code afterSkipping(1)} strikes the second page. */
    public OktaFault afterSkipping(int n) {
        return new OktaFault(kind, wait, path, n, remaining);
    }

    /** Strikes {@code count} matching requests, then stops. */
    public OktaFault forNext(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        return new OktaFault(kind, wait, path, skip, count);
    }

    public Kind kind() {
        return kind;
    }

    Duration resetIn() {
        return wait;
    }

    /** How often it struck so far. */
    public int hits() {
        return hits;
    }

    /** Counts a request; true when the fault strikes it. Called under the double's lock. */
    boolean strikes(String requestPath) {
        if (remaining == 0 || (path != null && !path.matcher(requestPath).matches())) {
            return false;
        }
        if (skip > 0) {
            skip--;
            return false;
        }
        if (remaining > 0) {
            remaining--;
        }
        hits++;
        return true;
    }

    @Override
    public String toString() {
        return "OktaFault[" + kind + (path == null ? "" : " on " + path) + "]";
    }
}
