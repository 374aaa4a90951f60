package dev.keyline.connector.spi;

import dev.keyline.connector.model.Role;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads roles and entitlements (SPI 3). Listing is by opaque cursor; every role appears exactly once across a full
 * listing. A provider that lists a user's roles on the user as well may do both; the platform joins the two sides
 * when it syncs, so a connector never needs one request per user to fill a user's roles.
 */
public interface RoleDirectory {
    /**
     * The parameter of a {@link ConnectorException} that says the account's grant may not read roles (a permission or
     * scope the customer did not grant; its value names it). Roles are optional: the platform then syncs without them
     * and keeps what it had, rather than failing the run; live role reads answer the failure.
     */
    String MISSING_PERMISSION = "missing_permission";

    Page<Role> listRoles(RoleQuery query);

    /** The role with this provider id, with its assignments, or empty when there is none. */
    Optional<Role> getRole(String remoteId, boolean includeRaw);

    /** Every role, page by page; see {@link UserDirectory#streamUsers}. */
    default int streamRoles(int pageSize, boolean includeAssignments, boolean includeRaw, Consumer<Page<Role>> sink) {
        return Page.stream(
                cursor -> listRoles(RoleQuery.builder()
                        .cursor(cursor)
                        .pageSize(pageSize)
                        .includeAssignments(includeAssignments)
                        .includeRaw(includeRaw)
                        .build()),
                sink);
    }
}
