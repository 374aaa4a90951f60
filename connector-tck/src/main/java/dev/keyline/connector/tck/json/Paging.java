package dev.keyline.connector.tck.json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The paging styles real JSON APIs use, each as its provider documents it. Every style but {@link #OFFSET}
 * hands out an opaque token (base64 of the position, which clients must not parse); a token the double did
 * not issue is answered 400. A page size above the double's maximum is clamped, as the providers do.
 */
public enum Paging {
    /**
     * A bare JSON array; the next page is the {@code rel="next"} target of the RFC 8288 {@code Link} header
     * ({@code Link: <…/users?limit=2&after=…>; rel="next"}), absent on the last page; {@code limit} and the
     * opaque {@code after} cursor, as Okta's management API documents it
     * (https://developer.okta.com/docs/api/#pagination; GitHub follows the same header,
     * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
     */
    LINK_HEADER("limit", "after"),
    /**
     * Slack's cursor paging (https://docs.slack.dev/apis/web-api/pagination): {@code cursor} and {@code limit}
     * parameters; the answer {@code {"ok": true, "<items>": […], "response_metadata": {"next_cursor": "…"}}}
     * with an empty {@code next_cursor} on the last page.
     */
    OPAQUE_CURSOR("limit", "cursor"),
    /**
     * {@code offset} (from 0) and {@code limit}, as HR APIs such as Personio's employees endpoint document them
     * (https://developer.personio.de/docs/pagination-adoption-guide-for-v1-get-employees-endpoint); the answer
     * {@code {"<items>": […], "offset": o, "limit": l, "total": n}} (Personio nests the count as
     * {@code metadata.total_elements}; the double keeps one flat {@code total}). The client computes the next
     * offset; a page shorter than {@code limit} or an offset at {@code total} ends the listing.
     */
    OFFSET("limit", "offset"),
    /**
     * Microsoft Graph (https://learn.microsoft.com/en-us/graph/paging): {@code $top} sets the page size; the
     * answer {@code {"@odata.context": …, "value": […], "@odata.nextLink": "…?$top=5&$skiptoken=…"}} with the
     * other query parameters of the request kept in the link, which is absent on the last page. Clients must
     * follow the link whole, not extract the token.
     */
    ODATA_NEXT_LINK("$top", "$skiptoken"),
    /**
     * Google's Admin SDK Directory API
     * (https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/list): {@code maxResults} and
     * {@code pageToken}; the answer {@code {"<items>": […], "nextPageToken": "…"}}, the token absent on the
     * last page.
     */
    PAGE_TOKEN("maxResults", "pageToken");

    private static final String TOKEN_PREFIX = "kl:";

    private final String sizeParameter;
    private final String positionParameter;

    Paging(String sizeParameter, String positionParameter) {
        this.sizeParameter = sizeParameter;
        this.positionParameter = positionParameter;
    }

    /** The query parameter that sets the page size. */
    public String sizeParameter() {
        return sizeParameter;
    }

    /** The query parameter that says where the page starts (an offset for {@link #OFFSET}, else a token). */
    public String positionParameter() {
        return positionParameter;
    }

    /** The value of {@link #positionParameter()} for a page starting at {@code offset} (from 0). */
    public String position(int offset) {
        if (this == OFFSET) {
            return String.valueOf(offset);
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a {@link #positionParameter()} value stands for; IllegalArgumentException for a foreign one. */
    int offset(String position) {
        String text = position;
        if (this != OFFSET) {
            text = new String(Base64.getUrlDecoder().decode(position), StandardCharsets.UTF_8);
            if (!text.startsWith(TOKEN_PREFIX)) {
                throw new IllegalArgumentException("not a token of this API");
            }
            text = text.substring(TOKEN_PREFIX.length());
        }
        int offset = Integer.parseInt(text);
        if (offset < 0) {
            throw new IllegalArgumentException("negative position");
        }
        return offset;
    }
}
