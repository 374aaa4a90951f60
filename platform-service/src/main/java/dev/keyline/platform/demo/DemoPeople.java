package dev.keyline.platform.demo;

import dev.keyline.scimdouble.ScimDirectory;
import dev.keyline.scimdouble.ScimUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The people an access review looks for, added to the demo's generated directories: owners and administrators in
 * 1Password's built-in groups, a contractor on a personal address, a second app (an HR directory over SCIM) where
 * some of the same people appear — one with its address in other letter case — next to a guest and a service
 * account, and the identity provider (Okta) with everyone, its administrators' roles, factors and sign-ins, so the
 * people view has matches, mismatches and accounts that belong to nobody.
 */
final class DemoPeople {
    static final String OWNER = "olivia.owner@acme.example";
    static final String ADMIN = "adam.admin@acme.example";
    static final String CONTRACTOR = "casey.contractor@gmail.com";
    static final String GUEST = "gina.guest@partner.example";
    static final String SERVICE = "svc-backup@acme.example";
    /** Every how-many-th generated person of the bridge also has an account in the second app. */
    static final int SHARED_EVERY = 5;

    /** When the demo's dormant administrator last signed in: long enough ago for a 90-day review to flag. */
    static final Duration DORMANT = Duration.ofDays(120);

    private DemoPeople() {}

    /**
     * Okta, the identity provider: everyone the bridge has but the contractor, who is on a personal address only
     * 1Password knows (deactivated there, deactivated here); the owner a super administrator and the administrator an
     * organization administrator, both with a factor and a recent sign-in; one generated person a read-only
     * administrator who last signed in {@link #DORMANT} ago; and two groups.
     */
    static void okta(DemoOkta okta, List<ScimUser> bridgeUsers, Instant now) {
        List<String> engineering = new ArrayList<>();
        String owner = null;
        String admin = null;
        String dormant = null;
        for (ScimUser user : bridgeUsers) {
            if (user.primaryEmail().isEmpty() || user.primaryEmail().get().equals(CONTRACTOR)) {
                continue;
            }
            String email = user.primaryEmail().orElseThrow();
            String id = okta.addUser(
                    email, email, user.givenName(), user.familyName(), user.active() ? "ACTIVE" : "DEPROVISIONED");
            if (email.equals(OWNER)) {
                owner = id;
            } else if (email.equals(ADMIN)) {
                admin = id;
            } else if (dormant == null && user.active()) {
                dormant = id;
            } else if (engineering.size() < 25 && user.active()) {
                engineering.add(id);
            }
        }
        if (owner != null) {
            okta.assignAdminRole(owner, "SUPER_ADMIN");
            okta.addFactor(owner, "token:software:totp", "ACTIVE");
            okta.setLastLogin(owner, now.minus(Duration.ofHours(3)));
        }
        if (admin != null) {
            okta.assignAdminRole(admin, "ORG_ADMIN");
            okta.addFactor(admin, "webauthn", "ACTIVE");
            okta.setLastLogin(admin, now.minus(Duration.ofDays(2)));
            engineering.add(admin);
        }
        if (dormant != null) {
            okta.assignAdminRole(dormant, "READ_ONLY_ADMIN");
            okta.setLastLogin(dormant, now.minus(DORMANT));
            engineering.add(dormant);
        }
        okta.addGroup("Engineering", engineering.toArray(String[]::new));
    }

    /** 1Password: an owner and an administrator in the built-in groups, and a contractor on a personal address. */
    static void onePassword(ScimDirectory directory) {
        ScimUser owner = directory.addUser(OWNER, OWNER, "Olivia", "Owner", null, true);
        ScimUser admin = directory.addUser(ADMIN, ADMIN, "Adam", "Admin", null, true);
        directory.addUser(CONTRACTOR, CONTRACTOR, "Casey", "Contractor", null, true);
        directory.addGroup("Owners", List.of(owner.id()));
        directory.addGroup("Administrators", List.of(owner.id(), admin.id()));
    }

    /**
     * The second app: every {@link #SHARED_EVERY}th person of the bridge (their status kept, so someone disabled in
     * 1Password may still be active here), the owner with her address in capitals, a guest and a service account.
     */
    static void secondApp(ScimDirectory directory, List<ScimUser> bridgeUsers) {
        List<ScimUser> shared = new ArrayList<>();
        for (int i = 0; i < bridgeUsers.size(); i += SHARED_EVERY) {
            ScimUser user = bridgeUsers.get(i);
            if (user.primaryEmail().isPresent() && !user.userName().equals(OWNER)) {
                shared.add(user);
            }
        }
        for (ScimUser user : shared) {
            String email = user.primaryEmail().orElseThrow();
            directory.addUser(email, email, user.givenName(), user.familyName(), "Employee", user.active());
        }
        directory.addUser("olivia", OWNER.toUpperCase(Locale.ROOT), "Olivia", "Owner", "Employee", true);
        directory.addUser("gina.guest", GUEST, "Gina", "Guest", "Guest", true);
        directory.addUser("svc-backup", SERVICE, "Backup", "Service", "Service", true);
    }
}
