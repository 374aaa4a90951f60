package dev.keyline.connector.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One SCIM {@code ListResponse}, as the server sent it.
 *
 * @param totalResults the server's count of all matching resources, or null when it gave none; servers
 *     have been seen to get it wrong, so it is a hint for when to stop, never a promise
 * @param itemsPerPage the number of resources the server says it returned, or null
 * @param startIndex the 1-based index the server says the page starts at, or null; some servers answer
 *     {@code 0} whatever was asked, which {@link ScimDirectory} treats as "not reported"
 * @param resources the resources, each a JSON object with a non-blank string {@code id}
 */
public record ScimListResponse(
        Integer totalResults, Integer itemsPerPage, Integer startIndex, List<JsonNode> resources) {
    public ScimListResponse {
        resources = List.copyOf(resources);
    }
}
