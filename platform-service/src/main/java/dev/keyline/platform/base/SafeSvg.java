package dev.keyline.platform.base;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Whether SVG markup from someone else (a connector's logo, a tenant's brand logo) is safe to show on the connect
 * page: well-formed XML whose root is {@code <svg>}, within a size, with nothing that runs code or reaches out: no
 * {@code <script>} or {@code <foreignObject>}, no {@code on*} event attribute, no {@code href} other than a
 * fragment ({@code #id}), no {@code javascript:} anywhere, no style that loads something ({@code @import}, a
 * {@code url(...)} other than {@code url(#id)}), and no DOCTYPE (so no entities, internal or external).
 *
 * <p>A refusal explains itself in one sentence, naming the first thing found, so whoever supplied the logo can fix
 * it; the sentence never quotes the markup.
 */
public final class SafeSvg {
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";
    // url(...) in CSS whose target is not a fragment: a style that loads something from elsewhere.
    private static final Pattern OUTSIDE_URL =
            Pattern.compile("url\\(\\s*+['\"]?+\\s*+(?!#)", Pattern.CASE_INSENSITIVE);

    private SafeSvg() {}

    /** Why {@code svg} is refused, or empty when it is safe; {@code maxBytes} bounds its UTF-8 size. */
    public static Optional<String> problem(String svg, int maxBytes) {
        if (svg == null || svg.isBlank()) {
            return Optional.of("The SVG is empty.");
        }
        int size = svg.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            return Optional.of("The SVG is " + size + " bytes; at most " + maxBytes + " are allowed.");
        }
        Checker checker = new Checker();
        try {
            SAXParser parser = parserFactory().newSAXParser();
            parser.parse(new InputSource(new StringReader(svg)), checker);
        } catch (Refused refused) {
            return Optional.of(refused.getMessage());
        } catch (SAXParseException e) {
            // The parser's own message can quote the input; the position is enough to find the mistake.
            return Optional.of("The SVG is not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ").");
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return Optional.of("The SVG is not well-formed XML.");
        }
        return Optional.empty();
    }

    /** Whether {@code svg} is safe; see {@link #problem}. */
    public static boolean isSafe(String svg, int maxBytes) {
        return problem(svg, maxBytes).isEmpty();
    }

    private static SAXParserFactory parserFactory() throws ParserConfigurationException, SAXException {
        // The JDK's own parser, not whatever a plugin or library puts on the class path: its feature names are known.
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        // A logo has no use for a DOCTYPE, and refusing it shuts out every entity trick (billion laughs, XXE).
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory;
    }

    private static final class Refused extends SAXException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final class Checker extends DefaultHandler {
        private boolean root = true;
        private final StringBuilder text = new StringBuilder();

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes)
                throws SAXException {
            text.setLength(0);
            String name = localName.toLowerCase(Locale.ROOT);
            if (root) {
                root = false;
                if (!name.equals("svg") || !(uri.isEmpty() || uri.equals(SVG_NAMESPACE))) {
                    throw new Refused("The root element is <" + qName + ">, not <svg>.");
                }
            }
            if (name.equals("script") || name.equals("foreignobject")) {
                throw new Refused("The SVG contains a <" + localName + "> element, which is not allowed.");
            }
            // <set> and <animate> can give an href a new value after loading.
            if (name.equals("set") || name.startsWith("animate")) {
                String target = attributes.getValue("attributeName");
                if (target != null && target.toLowerCase(Locale.ROOT).endsWith("href")) {
                    throw new Refused("The SVG animates an href, which is not allowed.");
                }
            }
            for (int i = 0; i < attributes.getLength(); i++) {
                checkAttribute(attributes.getLocalName(i), attributes.getQName(i), attributes.getValue(i));
            }
        }

        private static void checkAttribute(String localName, String qName, String value) throws Refused {
            String name = (localName == null || localName.isEmpty() ? qName : localName).toLowerCase(Locale.ROOT);
            if (name.startsWith("on")) {
                throw new Refused("The SVG has an event attribute (" + qName + "), which is not allowed.");
            }
            if (name.equals("href") && !value.strip().startsWith("#")) {
                throw new Refused("The SVG links to something outside itself (" + qName
                        + "); only references within it (#id) are allowed.");
            }
            if (value.toLowerCase(Locale.ROOT).replaceAll("\\s", "").contains("javascript:")) {
                throw new Refused("The SVG has a javascript: URL (in " + qName + "), which is not allowed.");
            }
            checkStyle(value, qName);
        }

        private static void checkStyle(String css, String where) throws Refused {
            if (OUTSIDE_URL.matcher(css).find() || css.toLowerCase(Locale.ROOT).contains("@import")) {
                throw new Refused("The SVG loads a style resource from outside itself (in " + where
                        + "); only url(#id) is allowed.");
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            // Text is checked as a whole so a url( split across chunks is still seen; only <style> text is CSS.
            if (localName.equalsIgnoreCase("style")) {
                checkStyle(text.toString(), "<style>");
            }
            text.setLength(0);
        }

        @Override
        public void processingInstruction(String target, String data) throws SAXException {
            // An xml-stylesheet instruction would load a style sheet from elsewhere.
            throw new Refused("The SVG has a processing instruction (<?" + target + "?>), which is not allowed.");
        }
    }
}
