package dev.keyline.platform.people;

import java.util.Locale;
import java.util.Map;

/**
 * What counts as the same e-mail address when people are correlated across accounts. Deliberately narrow: a false
 * match would show one person's access as another's in a review, while a missed one only leaves an account
 * unmatched for a reviewer to look at.
 */
final class Addresses {
    /** Domains a provider gives the same mailbox under, folded to one spelling. */
    private static final Map<String, String> DOMAIN_ALIASES = Map.of("googlemail.com", "gmail.com");

    private Addresses() {}

    /**
     * The address as people are matched on it: trimmed, lower case, its domain's alias folded; null when the value
     * is not an address at all (no {@code @} with text on both sides), so a username put among the e-mails matches
     * nobody. Dots and {@code +tags} in the local part are kept: they are different mailboxes at most providers.
     */
    static String canonical(String address) {
        if (address == null) {
            return null;
        }
        String lower = address.strip().toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at <= 0 || at == lower.length() - 1 || lower.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        String domain = lower.substring(at + 1);
        return lower.substring(0, at + 1) + DOMAIN_ALIASES.getOrDefault(domain, domain);
    }
}
