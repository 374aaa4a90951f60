package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A user of the upstream's directory, as the upstream holds it. The JSON served for it carries
 * {@code name.formatted} = {@link #formattedName()} and {@code groups} with each group's current display name.
 *
 * @param active false for suspended users
 * @param groupIds the ids of the groups this user belongs to, in the order they are served
 */
public record ScimUser(
        String id,
        String userName,
        String givenName,
        String familyName,
        String displayName,
        boolean active,
        List<ScimEmail> emails,
        String preferredLanguage,
        List<String> groupIds,
        Instant created,
        Instant lastModified) {

    public ScimUser {
        requireNonNull(id, "id is null");
        requireNonNull(userName, "userName is null");
        requireNonNull(givenName, "givenName is null");
        requireNonNull(familyName, "familyName is null");
        requireNonNull(displayName, "displayName is null");
        emails = List.copyOf(emails);
        requireNonNull(preferredLanguage, "preferredLanguage is null");
        groupIds = List.copyOf(groupIds);
        requireNonNull(created, "created is null");
        requireNonNull(lastModified, "lastModified is null");
    }

    public String formattedName() {
        return givenName + " " + familyName;
    }

    /** The value of the address marked primary, if any. */
    public Optional<String> primaryEmail() {
        return emails.stream().filter(ScimEmail::primary).map(ScimEmail::value).findFirst();
    }

    public ScimUser withActive(boolean active) {
        return new ScimUser(
                id,
                userName,
                givenName,
                familyName,
                displayName,
                active,
                emails,
                preferredLanguage,
                groupIds,
                created,
                lastModified);
    }

    public ScimUser withUserName(String userName) {
        return new ScimUser(
                id,
                userName,
                givenName,
                familyName,
                displayName,
                active,
                emails,
                preferredLanguage,
                groupIds,
                created,
                lastModified);
    }

    public ScimUser withNames(String givenName, String familyName, String displayName) {
        return new ScimUser(
                id,
                userName,
                givenName,
                familyName,
                displayName,
                active,
                emails,
                preferredLanguage,
                groupIds,
                created,
                lastModified);
    }

    public ScimUser withEmails(List<ScimEmail> emails) {
        return new ScimUser(
                id,
                userName,
                givenName,
                familyName,
                displayName,
                active,
                emails,
                preferredLanguage,
                groupIds,
                created,
                lastModified);
    }

    public ScimUser withGroupIds(List<String> groupIds) {
        return new ScimUser(
                id,
                userName,
                givenName,
                familyName,
                displayName,
                active,
                emails,
                preferredLanguage,
                groupIds,
                created,
                lastModified);
    }

    public ScimUser withLastModified(Instant lastModified) {
        return new ScimUser(
                id,
                userName,
                givenName,
                familyName,
                displayName,
                active,
                emails,
                preferredLanguage,
                groupIds,
                created,
                lastModified);
    }
}
