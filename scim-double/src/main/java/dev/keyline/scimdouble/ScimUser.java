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
 * @param userType the core {@code userType} ("Employee", "Guest", …), or null when not served
 * @param title the core {@code title}, or null when not served
 * @param department the enterprise extension's {@code department}, or null when not served
 * @param managerId the enterprise extension's {@code manager.value} (a user id), or null when not served
 * @param roles the core multi-valued {@code roles}, served only when not empty
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
        Instant lastModified,
        String userType,
        String title,
        String department,
        String managerId,
        List<ScimRole> roles) {

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
        roles = List.copyOf(roles);
    }

    /** A user without the optional profile attributes and roles, as the generated users are. */
    public ScimUser(
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
        this(
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
                lastModified,
                null,
                null,
                null,
                null,
                List.of());
    }

    public String formattedName() {
        return givenName + " " + familyName;
    }

    /** The value of the address marked primary, if any. */
    public Optional<String> primaryEmail() {
        return emails.stream().filter(ScimEmail::primary).map(ScimEmail::value).findFirst();
    }

    /** Whether the enterprise extension is served for this user (it has a department or a manager). */
    public boolean hasEnterpriseExtension() {
        return department != null || managerId != null;
    }

    public ScimUser withActive(boolean active) {
        return copy(userName, givenName, familyName, displayName, active, emails, groupIds, lastModified);
    }

    public ScimUser withUserName(String userName) {
        return copy(userName, givenName, familyName, displayName, active, emails, groupIds, lastModified);
    }

    public ScimUser withNames(String givenName, String familyName, String displayName) {
        return copy(userName, givenName, familyName, displayName, active, emails, groupIds, lastModified);
    }

    public ScimUser withEmails(List<ScimEmail> emails) {
        return copy(userName, givenName, familyName, displayName, active, emails, groupIds, lastModified);
    }

    public ScimUser withGroupIds(List<String> groupIds) {
        return copy(userName, givenName, familyName, displayName, active, emails, groupIds, lastModified);
    }

    public ScimUser withLastModified(Instant lastModified) {
        return copy(userName, givenName, familyName, displayName, active, emails, groupIds, lastModified);
    }

    /** The same user with these optional profile attributes; null leaves one out of the JSON. */
    public ScimUser withProfile(String userType, String title, String department, String managerId) {
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
                lastModified,
                userType,
                title,
                department,
                managerId,
                roles);
    }

    public ScimUser withRoles(List<ScimRole> roles) {
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
                lastModified,
                userType,
                title,
                department,
                managerId,
                roles);
    }

    private ScimUser copy(
            String userName,
            String givenName,
            String familyName,
            String displayName,
            boolean active,
            List<ScimEmail> emails,
            List<String> groupIds,
            Instant lastModified) {
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
                lastModified,
                userType,
                title,
                department,
                managerId,
                roles);
    }
}
