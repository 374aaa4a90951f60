package dev.keyline.platform.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A change to a tenant's brand as a JSON merge patch (RFC 7396): a member absent is kept, a member given replaces
 * it, a member given as {@code null} goes back to its default, and a {@code null} brand resets all of them. Read from
 * the JSON itself because a record cannot tell {@code "logo": null} from no {@code logo}.
 */
final class BrandPatch {
    static final List<String> MEMBERS = List.of("logo", "primary_color", "appearance", "hide_keyline");

    private static final Brand UNSET = new Brand(null, null, null, null);

    private BrandPatch() {}

    /** {@code current} with {@code patch} applied and checked by {@link BrandRules}; members not set are null. */
    static Brand apply(Brand current, JsonNode patch) {
        if (patch == null || patch.isMissingNode()) {
            return current;
        }
        if (patch.isNull()) {
            return UNSET;
        }
        if (!patch.isObject()) {
            throw invalid("brand is an object with the members " + String.join(", ", MEMBERS) + ".", "brand");
        }
        String logo = current.logo();
        String primaryColor = current.primaryColor();
        String appearance = current.appearance();
        Boolean hideKeyline = current.hideKeyline();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            JsonNode value = member.getValue();
            switch (member.getKey()) {
                case "logo" -> logo = text(value, "logo");
                case "primary_color" -> primaryColor = text(value, "primary_color");
                case "appearance" -> appearance = text(value, "appearance");
                case "hide_keyline" -> {
                    if (!value.isNull() && !value.isBoolean()) {
                        throw invalid("hide_keyline is true, false or null.", "brand.hide_keyline");
                    }
                    hideKeyline = value.isNull() ? null : value.booleanValue();
                }
                default ->
                    throw invalid(
                            "brand has no member " + shown(member.getKey()) + "; its members are "
                                    + String.join(", ", MEMBERS) + ".",
                            member.getKey().matches("[a-z_]{1,40}") ? "brand." + member.getKey() : "brand");
            }
        }
        return BrandRules.validate(new Brand(logo, primaryColor, appearance, hideKeyline), "brand");
    }

    private static String text(JsonNode value, String member) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(member + " is a string or null.", "brand." + member);
        }
        return value.textValue();
    }

    /** A member name as the message quotes it: short and printable, as it is the caller's input. */
    private static String shown(String name) {
        String printable = name.replaceAll("[^\\x20-\\x7e]", "?");
        return "`" + (printable.length() > 40 ? printable.substring(0, 40) + "…" : printable) + "`";
    }

    private static KeylineException invalid(String detail, String field) {
        return KeylineException.invalid(FailureCode.INVALID_BRAND, detail).field(field);
    }
}
