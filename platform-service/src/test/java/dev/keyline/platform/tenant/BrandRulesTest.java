package dev.keyline.platform.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.base.KeylineException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The rules a tenant's brand and a session's override share. */
class BrandRulesTest {
    static final String PNG = "data:image/png;base64,"
            + Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});

    static String svgLogo(String markup) {
        return "data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(markup.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptableMembersPassAndTheColourIsStoredInLowerCase() {
        Brand checked = BrandRules.validate(new Brand(PNG, "#1A73E8", "dark", true), "brand");
        assertThat(checked).isEqualTo(new Brand(PNG, "#1a73e8", "dark", true));
        assertThat(BrandRules.validate(new Brand(null, null, null, null), "brand"))
                .isEqualTo(new Brand(null, null, null, null));
        assertThat(BrandRules.validate(null, "brand")).isNull();
        String svg = svgLogo("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"4\" height=\"4\"/></svg>");
        assertThat(BrandRules.validate(new Brand(svg, null, "light", null), "brand")
                        .logo())
                .isEqualTo(svg);
        String jpeg = "data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0});
        assertThat(BrandRules.validate(new Brand(jpeg, null, null, null), "brand")
                        .logo())
                .isEqualTo(jpeg);
        String webp = "data:image/webp;base64,"
                + Base64.getEncoder().encodeToString("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(BrandRules.validate(new Brand(webp, null, null, null), "brand")
                        .logo())
                .isEqualTo(webp);
    }

    @Test
    void eachBadMemberIsNamed() {
        refused(() -> BrandRules.validate(new Brand(null, "blue", null, null), "brand"), "brand.primary_color");
        refused(() -> BrandRules.validate(new Brand(null, "#12345", null, null), "brand"), "brand.primary_color");
        refused(() -> BrandRules.validate(new Brand(null, null, "sepia", null), "brand"), "brand.appearance");
        refused(
                () -> BrandRules.validate(new Brand("https://x.example/logo.png", null, null, null), "brand"),
                "brand.logo");
        refused(
                () -> BrandRules.validate(new Brand("data:image/gif;base64,R0lGOD", null, null, null), "brand"),
                "brand.logo");
        refused(
                () -> BrandRules.validate(new Brand("data:image/png;base64,%%%", null, null, null), "brand"),
                "brand.logo");
        refused(
                () -> BrandRules.validate(new Brand("data:image/png;base64,", null, null, null), "brand"),
                "brand.logo");
        refused(
                () -> BrandRules.validate(new Brand(null, "#zzzzzz", null, null), "session.brand"),
                "session.brand.primary_color");
    }

    @Test
    void aLogoWhoseDataIsNotItsTypeIsRefused() {
        String gifAsPng = "data:image/png;base64,"
                + Base64.getEncoder().encodeToString("GIF89a....".getBytes(StandardCharsets.ISO_8859_1));
        refused(() -> BrandRules.validate(new Brand(gifAsPng, null, null, null), "brand"), "brand.logo");
    }

    @Test
    void anSvgLogoWithScriptIsRefused() {
        String logo = svgLogo("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
        assertThatThrownBy(() -> BrandRules.validate(new Brand(logo, null, null, null), "brand"))
                .isInstanceOfSatisfying(KeylineException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_brand");
                    assertThat(e.fieldName()).isEqualTo("brand.logo");
                    assertThat(e.detail()).contains("<script>");
                });
    }

    @Test
    void aLogoOver64KiBIsRefused() {
        byte[] big = new byte[BrandRules.MAX_LOGO_BYTES + 1];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, big, 0, 8);
        String logo = "data:image/png;base64," + Base64.getEncoder().encodeToString(big);
        assertThatThrownBy(() -> BrandRules.validate(new Brand(logo, null, null, null), "brand"))
                .isInstanceOfSatisfying(
                        KeylineException.class, e -> assertThat(e.detail()).contains("at most 65536"));
        byte[] fits = new byte[BrandRules.MAX_LOGO_BYTES];
        System.arraycopy(big, 0, fits, 0, 8);
        String justFits = "data:image/png;base64," + Base64.getEncoder().encodeToString(fits);
        assertThat(BrandRules.validate(new Brand(justFits, null, null, null), "brand")
                        .logo())
                .isEqualTo(justFits);
    }

    private static void refused(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KeylineException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_brand");
            assertThat(e.fieldName()).isEqualTo(field);
        });
    }
}
