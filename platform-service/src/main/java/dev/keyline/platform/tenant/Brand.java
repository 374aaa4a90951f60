package dev.keyline.platform.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How the connect page looks for a tenant's customers: set on the tenant ({@code PATCH /v1/tenant}) and, member by
 * member, overridden per connect session. Absent members fall back to the tenant's, then to {@link #DEFAULT}.
 *
 * @param logo a {@code data:} URI of a PNG, JPEG, WebP or SVG image
 * @param primaryColor {@code #rrggbb}
 * @param appearance {@code light}, {@code dark} or {@code system} (the browser's {@code prefers-color-scheme})
 * @param hideKeyline hides Keyline's name and mark on the page
 */
@Schema(name = "Brand")
public record Brand(
        @Schema(nullable = true, description = "A data: URI (PNG, JPEG, WebP or SVG), at most 64 KiB decoded")
        String logo,

        @Schema(nullable = true, pattern = "^#[0-9a-fA-F]{6}$")
        String primaryColor,

        @Schema(
                nullable = true,
                enumeration = {"light", "dark", "system"})
        String appearance,

        @Schema(nullable = true) Boolean hideKeyline) {

    public static final Brand DEFAULT = new Brand(null, null, "system", false);

    /** This brand's members where set, else {@code base}'s. */
    public Brand over(Brand base) {
        if (base == null) {
            return this;
        }
        return new Brand(
                logo != null ? logo : base.logo,
                primaryColor != null ? primaryColor : base.primaryColor,
                appearance != null ? appearance : base.appearance,
                hideKeyline != null ? hideKeyline : base.hideKeyline);
    }

    /** Every member filled: this over the tenant's over the defaults. */
    public static Brand effective(Brand session, Brand tenant) {
        Brand tenantOrDefault = tenant == null ? DEFAULT : tenant.over(DEFAULT);
        return session == null ? tenantOrDefault : session.over(tenantOrDefault);
    }
}
