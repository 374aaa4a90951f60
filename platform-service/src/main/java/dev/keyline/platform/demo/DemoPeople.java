package dev.keyline.platform.demo;

import dev.keyline.scimdouble.ScimDirectory;
import dev.keyline.scimdouble.ScimUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The people an access review looks for, added to the demo's generated directories: owners and administrators in
 * 1Password's built-in groups, a contractor on a personal address, and a second app (an HR directory over SCIM) where
 * some of the same people appear — one with its address in other letter case — next to a guest and a service
 * account, so the people view has matches, mismatches and accounts that belong to nobody.
 */
final class DemoPeople {
    static final String OWNER = "olivia.owner@acme.example";
    static final String ADMIN = "adam.admin@acme.example";
    static final String CONTRACTOR = "casey.contractor@gmail.com";
    static final String GUEST = "gina.guest@partner.example";
    static final String SERVICE = "svc-backup@acme.example";
    /** Every how-many-th generated person of the bridge also has an account in the second app. */
    static final int SHARED_EVERY = 5;

    private DemoPeople() {}

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
