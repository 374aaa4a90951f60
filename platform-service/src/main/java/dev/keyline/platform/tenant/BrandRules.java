package dev.keyline.platform.tenant;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.SafeSvg;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Brand} may hold, for a tenant's brand and a connect session's override alike. Each refusal is a
 * {@code 400 invalid_brand} naming the member ({@code brand.logo}, say), so a caller fixes the one thing wrong.
 */
public final class BrandRules {
    /** The most a logo may be, decoded. */
    public static final int MAX_LOGO_BYTES = 64 * 1024;

    public static final List<String> APPEARANCES = List.of("light", "dark", "system");

    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern DATA_URI =
            Pattern.compile("data:image/(png|jpeg|webp|svg\\+xml);base64,([A-Za-z0-9+/]*={0,2})");
    // Base64 of 64 KiB is about 87 KiB; the margin lets a slightly larger URI reach the precise size message.
    private static final int MAX_LOGO_CHARS = MAX_LOGO_BYTES * 4 / 3 + 64;

    private BrandRules() {}

    /**
     * Checks every member that is set; a null brand or member is fine (it falls back). Returns the brand as it is
     * stored: the colour in lower case.
     *
     * @param fieldPrefix how the request names the brand object, such as {@code brand}
     * @throws KeylineException {@code invalid_brand} with {@code field} = prefix + "." + the member's wire name
     */
    public static Brand validate(Brand brand, String fieldPrefix) {
        if (brand == null) {
            return null;
        }
        String prefix = fieldPrefix == null || fieldPrefix.isEmpty() ? "" : fieldPrefix + ".";
        if (brand.logo() != null) {
            logoProblem(brand.logo()).ifPresent(problem -> {
                throw invalid(problem, prefix + "logo");
            });
        }
        if (brand.primaryColor() != null && !COLOR.matcher(brand.primaryColor()).matches()) {
            throw invalid(
                    "primary_color is a colour as #rrggbb (six hexadecimal digits), such as #1a73e8.",
                    prefix + "primary_color");
        }
        if (brand.appearance() != null && !APPEARANCES.contains(brand.appearance())) {
            throw invalid("appearance is one of light, dark or system.", prefix + "appearance");
        }
        return new Brand(
                brand.logo(),
                brand.primaryColor() == null ? null : brand.primaryColor().toLowerCase(Locale.ROOT),
                brand.appearance(),
                brand.hideKeyline());
    }

    /** Why {@code logo} is refused, or empty when it is an acceptable data URI. */
    static Optional<String> logoProblem(String logo) {
        if (logo.length() > MAX_LOGO_CHARS) {
            return Optional.of("logo is larger than " + MAX_LOGO_BYTES / 1024 + " KiB.");
        }
        Matcher uri = DATA_URI.matcher(logo);
        if (!uri.matches()) {
            return Optional.of("logo is a data URI of a PNG, JPEG, WebP or SVG image in base64, such as"
                    + " data:image/png;base64,iVBORw0KGgo...");
        }
        byte[] image;
        try {
            image = Base64.getDecoder().decode(uri.group(2));
        } catch (IllegalArgumentException e) {
            return Optional.of("logo's base64 data cannot be decoded.");
        }
        if (image.length == 0) {
            return Optional.of("logo holds no image.");
        }
        if (image.length > MAX_LOGO_BYTES) {
            return Optional.of(
                    "logo is " + image.length + " bytes decoded; at most " + MAX_LOGO_BYTES + " are allowed.");
        }
        String type = uri.group(1);
        if (type.equals("svg+xml")) {
            return SafeSvg.problem(new String(image, StandardCharsets.UTF_8), MAX_LOGO_BYTES)
                    .map(problem -> "logo is refused: " + problem);
        }
        // A browser sniffs an image's type, so a mislabelled file could still show; refusing it keeps the label true.
        if (!looksLike(type, image)) {
            return Optional.of("logo's data is not a " + type.toUpperCase(Locale.ROOT) + " image.");
        }
        return Optional.empty();
    }

    private static boolean looksLike(String type, byte[] image) {
        return switch (type) {
            case "png" -> startsWith(image, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            case "jpeg" -> startsWith(image, 0, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
            case "webp" ->
                startsWith(image, 0, new byte[] {'R', 'I', 'F', 'F'})
                        && startsWith(image, 8, new byte[] {'W', 'E', 'B', 'P'});
            default -> false;
        };
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return data.length >= offset + prefix.length
                && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static KeylineException invalid(String detail, String field) {
        return KeylineException.invalid(FailureCode.INVALID_BRAND, detail).field(field);
    }
}
