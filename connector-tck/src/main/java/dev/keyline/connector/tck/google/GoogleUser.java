package dev.keyline.connector.tck.google;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user record in the shape of the Directory API's {@code User} schema, for {@link GoogleDirectoryDouble#putUser}.
 * Defaults are those of a fresh, active user who never signed in: {@code lastLoginTime} is the epoch, as Google
 * reports it.
 */
public final class GoogleUser {
    /** Google's {@code lastLoginTime} for a user who never signed in. */
    public static final String NEVER = "1970-01-01T00:00:00.000Z";

    private GoogleUser() {}

    static Builder builder(String id, String primaryEmail) {
        return new Builder(id, primaryEmail);
    }

    /** Builds the map. */
    public static final class Builder {
        private final Map<String, Object> user = new LinkedHashMap<>();
        private final List<Map<String, Object>> emails = new ArrayList<>();

        private Builder(String id, String primaryEmail) {
            user.put("kind", "admin#directory#user");
            user.put("id", requireNonNull(id, "id is null"));
            user.put("etag", "\"" + id + "\"");
            user.put("primaryEmail", requireNonNull(primaryEmail, "primaryEmail is null"));
            user.put("isAdmin", false);
            user.put("isDelegatedAdmin", false);
            user.put("lastLoginTime", NEVER);
            user.put("creationTime", "2023-03-01T09:00:00.000Z");
            user.put("agreedToTerms", true);
            user.put("suspended", false);
            user.put("archived", false);
            user.put("changePasswordAtNextLogin", false);
            user.put("ipWhitelisted", false);
            user.put("customerId", "C01double");
            user.put("orgUnitPath", "/");
            user.put("isMailboxSetup", true);
            user.put("isEnrolledIn2Sv", false);
            user.put("isEnforcedIn2Sv", false);
            user.put("includeInGlobalAddressList", true);
        }

        public Builder name(String given, String family) {
            Map<String, Object> name = new LinkedHashMap<>();
            name.put("givenName", given);
            name.put("familyName", family);
            name.put("fullName", given + " " + family);
            user.put("name", name);
            return this;
        }

        /** An address of the user's {@code emails}; {@code type} may be null (Google then omits it). */
        public Builder email(String address, String type, boolean primary) {
            Map<String, Object> email = new LinkedHashMap<>();
            email.put("address", address);
            if (type != null) {
                email.put("type", type);
            }
            if (primary) {
                email.put("primary", true);
            }
            emails.add(email);
            return this;
        }

        public Builder suspended(boolean suspended) {
            user.put("suspended", suspended);
            if (suspended) {
                user.put("suspensionReason", "ADMIN");
            }
            return this;
        }

        public Builder archived(boolean archived) {
            user.put("archived", archived);
            return this;
        }

        /** A super administrator ({@code isAdmin}). */
        public Builder admin(boolean admin) {
            user.put("isAdmin", admin);
            return this;
        }

        public Builder delegatedAdmin(boolean delegated) {
            user.put("isDelegatedAdmin", delegated);
            return this;
        }

        public Builder enrolledIn2Sv(boolean enrolled) {
            user.put("isEnrolledIn2Sv", enrolled);
            return this;
        }

        public Builder enforcedIn2Sv(boolean enforced) {
            user.put("isEnforcedIn2Sv", enforced);
            return this;
        }

        /** The last sign-in; null restores the epoch value of "never". */
        public Builder lastLogin(Instant at) {
            user.put("lastLoginTime", at == null ? NEVER : at.toString());
            return this;
        }

        public Builder created(Instant at) {
            user.put("creationTime", at.toString());
            return this;
        }

        public Builder organization(String department, String title) {
            Map<String, Object> organization = new LinkedHashMap<>();
            organization.put("department", department);
            organization.put("title", title);
            organization.put("primary", true);
            organization.put("customType", "");
            user.put("organizations", List.of(organization));
            return this;
        }

        /** {@code relations[type=manager]}: Google keeps the manager's e-mail address. */
        public Builder manager(String email) {
            user.put("relations", List.of(Map.of("value", email, "type", "manager")));
            return this;
        }

        public Builder orgUnitPath(String path) {
            user.put("orgUnitPath", path);
            return this;
        }

        public Builder customerId(String customerId) {
            user.put("customerId", customerId);
            return this;
        }

        public Map<String, Object> build() {
            Map<String, Object> copy = new LinkedHashMap<>(user);
            if (!emails.isEmpty()) {
                copy.put("emails", List.copyOf(emails));
            }
            return copy;
        }
    }
}
