package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A role or entitlement held by a user, as the provider reports it.
 *
 * @param remoteId the provider's id of the role, never null
 * @param name the role's name, or null
 * @param privileged true when the provider marks the role administrative, false when it marks it not, null when it
 *     says nothing
 */
public record RoleRef(String remoteId, String name, Boolean privileged) {
    public RoleRef {
        requireNonNull(remoteId, "remoteId is null");
    }

    /**
     * A role known only by its name (SPI 1 and 2 reported roles as names): the name is its id too, privilege
     * unknown.
     */
    public static RoleRef named(String name) {
        return new RoleRef(requireNonNull(name, "role name is null"), name, null);
    }

    /**
     * An immutable copy. Plugins built against SPI 1 or 2 hand in role names as strings (the list's erased type is
     * the same, so their calls still link): those become {@link #named} references.
     */
    static List<RoleRef> copyOf(List<?> roles) {
        List<RoleRef> copy = new ArrayList<>(roles.size());
        for (Object role : roles) {
            copy.add(role instanceof String name ? named(name) : (RoleRef) requireNonNull(role, "a role is null"));
        }
        return List.copyOf(copy);
    }
}
