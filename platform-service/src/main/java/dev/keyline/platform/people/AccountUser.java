package dev.keyline.platform.people;

import dev.keyline.platform.directory.IamDtos.EmailDto;
import dev.keyline.platform.directory.IamDtos.TypeDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * One synced user of one account, reduced to what the people view shows and matches on, so that holding an owner's
 * every user costs a few hundred bytes each rather than a whole record with its groups and roles.
 *
 * @param keys the user's addresses as {@link Addresses#canonical} gives them, sorted, without repeats
 * @param primaryKey the canonical form of the primary address, or null
 */
record AccountUser(
        OwnerAccount account,
        String userId,
        String remoteId,
        String username,
        String name,
        String primaryEmailAddress,
        String primaryKey,
        List<String> keys,
        String status,
        Boolean privileged,
        Boolean mfaEnrolled,
        Instant lastLoginAt,
        TypeDto type,
        boolean remoteWasDeleted) {

    AccountUser {
        keys = List.copyOf(keys);
    }

    static AccountUser of(OwnerAccount account, UserDto user) {
        TreeSet<String> keys = new TreeSet<>();
        String primaryKey = Addresses.canonical(user.primaryEmailAddress());
        if (primaryKey != null) {
            keys.add(primaryKey);
        }
        for (EmailDto email : user.emails()) {
            String key = Addresses.canonical(email.value());
            if (key != null) {
                keys.add(key);
            }
            if (primaryKey == null && email.primary()) {
                primaryKey = key;
            }
        }
        return new AccountUser(
                account,
                user.id(),
                user.remoteId(),
                user.username(),
                user.name(),
                user.primaryEmailAddress(),
                primaryKey,
                List.copyOf(keys),
                user.status() == null ? null : user.status().value(),
                user.isPrivileged(),
                user.mfa() == null ? null : user.mfa().enrolled(),
                user.lastLoginAt(),
                user.type(),
                user.remoteWasDeleted());
    }

    /** Still at the provider and enabled there. */
    boolean active() {
        return !remoteWasDeleted && "enabled".equals(status);
    }
}
