package dev.keyline.platform.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "tenants")
public class Tenant extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_origins", nullable = false)
    public List<String> allowedOrigins = new ArrayList<>();

    /** The brand's members, each null when not set (see {@link Brand}). */
    @Column(name = "brand_logo")
    public String brandLogo;

    @Column(name = "brand_primary_color")
    public String brandPrimaryColor;

    @Column(name = "brand_appearance")
    public String brandAppearance;

    @Column(name = "brand_hide_keyline")
    public Boolean brandHideKeyline;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The brand as set, members not set being null. */
    public Brand brand() {
        return new Brand(brandLogo, brandPrimaryColor, brandAppearance, brandHideKeyline);
    }

    void brand(Brand brand) {
        brandLogo = brand.logo();
        brandPrimaryColor = brand.primaryColor();
        brandAppearance = brand.appearance();
        brandHideKeyline = brand.hideKeyline();
    }
}
