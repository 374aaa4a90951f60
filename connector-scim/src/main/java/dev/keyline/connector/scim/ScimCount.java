package dev.keyline.connector.scim;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * How many resources a listing has, as far as its first page can tell honestly. Servers have been seen to answer
 * {@code totalResults} with the number of resources on the page instead of the number of all matches, so a
 * {@code totalResults} is only taken when it can be right:
 *
 * <ul>
 *   <li>it is larger than the number of resources the page held (it counts resources not on the page), or
 *   <li>the page held fewer resources than asked for, so the listing ended there and the page's own count is
 *       the total.
 * </ul>
 *
 * <p>A full page whose {@code totalResults} is not larger than what it held proves only "at least that many". A
 * page without {@code totalResults} that came back full says nothing worth repeating.
 *
 * @param count the number, exact or a lower bound
 * @param exact false when {@code count} is only a lower bound
 */
public record ScimCount(int count, boolean exact) {
    public ScimCount {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }

    /**
     * What the first page of a listing ({@code startIndex=1}) says of the total.
     *
     * @param requested the {@code count} the page was asked for
     */
    public static Optional<ScimCount> of(ScimListResponse firstPage, int requested) {
        requireNonNull(firstPage, "firstPage is null");
        int held = firstPage.resources().size();
        Integer total = firstPage.totalResults();
        if (total != null && total > held) {
            return Optional.of(new ScimCount(total, true));
        }
        if (held < requested) {
            return Optional.of(new ScimCount(held, true));
        }
        if (total == null) {
            return Optional.empty();
        }
        return Optional.of(new ScimCount(held, false));
    }

    /** "30 users", "1 user", "at least 1 user": {@code singular} and {@code plural} name the resource. */
    public String phrase(String singular, String plural) {
        String counted = count + " " + (count == 1 ? singular : plural);
        return exact ? counted : "at least " + counted;
    }

    /**
     * Puts the count among validation facts: {@code <key>} when exact, {@code <key>_at_least} when a lower bound,
     * so a reader of {@code users} never takes a lower bound for the total.
     */
    public void putFact(Map<String, String> facts, String key) {
        facts.put(exact ? key : key + "_at_least", String.valueOf(count));
    }
}
