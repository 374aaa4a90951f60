package dev.keyline.platform.people;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Person ids: {@code per_} and two digests, of (tenant, origin owner) and of (tenant, origin owner, the person's
 * canonical address). Ids land in logs, so they hold no address and no owner id in clear; the owner part lets a
 * lookup by id find the owner among the tenant's without a stored index. They are pseudonyms, not secrets: whoever
 * knows the tenant, the owner and an address can compute one, as whoever can read the API can read the address.
 */
final class PersonIds {
    static final String PREFIX = "per_";
    private static final int OWNER_HEX = 16;
    private static final int PERSON_HEX = 32;
    private static final Pattern SHAPE = Pattern.compile("per_[0-9a-f]{" + (OWNER_HEX + PERSON_HEX) + "}");

    private PersonIds() {}

    /** A person found by address: {@code canonical} as {@link Addresses#canonical} gives it. */
    static String ofAddress(String tenantId, String ownerId, String canonical) {
        return PREFIX + owner(tenantId, ownerId) + digest("address", tenantId, ownerId, canonical, PERSON_HEX);
    }

    /** An account user with no address: it is a person of its own, named by where it lives. */
    static String ofUser(String tenantId, String ownerId, String accountId, String remoteId) {
        return PREFIX
                + owner(tenantId, ownerId)
                + digest("user", tenantId, ownerId, accountId + "\n" + remoteId, PERSON_HEX);
    }

    /** The owner part of an id, to compare with {@link #owner}; empty when the text is no person id. */
    static Optional<String> ownerPart(String id) {
        if (id == null || !SHAPE.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of(id.substring(PREFIX.length(), PREFIX.length() + OWNER_HEX));
    }

    static String owner(String tenantId, String ownerId) {
        return digest("owner", tenantId, ownerId, "", OWNER_HEX);
    }

    private static String digest(String kind, String tenantId, String ownerId, String value, int hex) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // Lengths first, so no choice of values can make two different tuples hash alike.
            for (String part : new String[] {kind, tenantId, ownerId, value}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, hex);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
