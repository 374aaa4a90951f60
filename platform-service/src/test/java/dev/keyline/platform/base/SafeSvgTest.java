package dev.keyline.platform.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Logos from plugins and tenants are shown to people: nothing in them may run, reach out or expand. */
class SafeSvgTest {
    private static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">";
    private static final int LIMIT = 16 * 1024;

    private static String svg(String body) {
        return OPEN + body + "</svg>";
    }

    @Test
    void aPlainMarkIsSafe() {
        String mark = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + svg("<defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient></defs>"
                        + "<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"url(#g)\" style=\"fill: url( '#g')\"/>"
                        + "<use href=\"#g\"/><text x=\"4\" y=\"22\">Ok</text>");
        assertThat(SafeSvg.problem(mark, LIMIT)).isEmpty();
        assertThat(SafeSvg.isSafe(svg("<style>rect{fill:#123456}</style>"), LIMIT))
                .isTrue();
        assertThat(SafeSvg.isSafe("<svg viewBox=\"0 0 1 1\"/>", LIMIT))
                .as("no namespace")
                .isTrue();
    }

    @Test
    void scriptIsRefused() {
        assertThat(SafeSvg.problem(svg("<script>alert(1)</script>"), LIMIT))
                .get()
                .asString()
                .contains("<script>");
        assertThat(SafeSvg.isSafe(svg("<SCRIPT>alert(1)</SCRIPT>"), LIMIT)).isFalse();
        assertThat(SafeSvg.isSafe(svg("<s:script xmlns:s=\"http://www.w3.org/2000/svg\">alert(1)</s:script>"), LIMIT))
                .isFalse();
    }

    @Test
    void foreignObjectIsRefused() {
        assertThat(SafeSvg.problem(
                        svg("<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\"/></foreignObject>"), LIMIT))
                .get()
                .asString()
                .contains("foreignObject");
    }

    @Test
    void eventAttributesAreRefused() {
        assertThat(SafeSvg.problem("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", LIMIT))
                .get()
                .asString()
                .contains("onload");
        assertThat(SafeSvg.isSafe(svg("<rect ONCLICK=\"x()\"/>"), LIMIT)).isFalse();
    }

    @Test
    void outsideReferencesAreRefused() {
        assertThat(SafeSvg.isSafe(svg("<image href=\"https://tracker.example/x.png\"/>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(
                        svg("<use xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"other.svg#a\"/>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(svg("<a href=\"javascript:alert(1)\"><rect/></a>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(
                        svg("<a href=\"#x\"><set attributeName=\"href\" to=\"javascript:alert(1)\"/></a>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(svg("<style>@import 'https://x.example/a.css';</style>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(svg("<style><![CDATA[rect{fill:url(https://x.example/a)}]]></style>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(svg("<rect style=\"fill:url( 'https://x.example/p')\"/>"), LIMIT))
                .isFalse();
        assertThat(SafeSvg.isSafe(svg("<?xml-stylesheet href=\"https://x.example/a.css\"?><rect/>"), LIMIT))
                .isFalse();
    }

    @Test
    void doctypesAndEntitiesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + svg("<text>&x;</text>");
        assertThat(SafeSvg.problem(xxe, LIMIT))
                .get()
                .asString()
                .contains("not well-formed")
                .doesNotContain("passwd");
        String laughs =
                "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>" + svg("<text>&b;</text>");
        assertThat(SafeSvg.isSafe(laughs, LIMIT)).isFalse();
    }

    @Test
    void notSvgOrNotXmlOrTooLargeIsRefused() {
        assertThat(SafeSvg.problem("<html><body/></html>", LIMIT))
                .get()
                .asString()
                .contains("not <svg>");
        assertThat(SafeSvg.problem("<svg><rect></svg>", LIMIT)).get().asString().contains("not well-formed");
        assertThat(SafeSvg.isSafe("not xml at all", LIMIT)).isFalse();
        assertThat(SafeSvg.isSafe("", LIMIT)).isFalse();
        assertThat(SafeSvg.isSafe(null, LIMIT)).isFalse();
        String big = svg("<desc>" + "x".repeat(LIMIT) + "</desc>");
        assertThat(SafeSvg.problem(big, LIMIT)).get().asString().contains("at most " + LIMIT);
        assertThat(SafeSvg.isSafe("<svg xmlns=\"urn:other\"/>", LIMIT))
                .as("svg of another namespace")
                .isFalse();
    }
}
