package dev.keyline.connector.entraid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * Microsoft's own privilege mark on directory roles. Graph v1.0 role definitions carry no {@code isPrivileged}
 * (beta does), so the built-in roles Microsoft labels PRIVILEGED in "Microsoft Entra built-in roles"
 * (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference, revision of 2026-01-20) are
 * known here by template id; a built-in role not in that list is not privileged, a custom role unknown.
 */
final class PrivilegedRoles {
    /** Template ids of the built-in roles with the PRIVILEGED label. */
    static final Set<String> LABELLED = Set.of(
            "db506228-d27e-4b7d-95e5-295956d6615f", // Agent ID Administrator
            "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
            "cf1c38e5-3621-4004-a7cb-879624dced7c", // Application Developer
            "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe", // Attribute Provisioning Administrator
            "422218e4-db15-4ef9-bbe0-8afb41546d79", // Attribute Provisioning Reader
            "c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
            "25a516ed-2fa0-40ea-a2d0-12923a21473a", // Authentication Extensibility Administrator
            "aaf43236-0c0d-4d5f-883a-6955382ac081", // B2C IEF Keyset Administrator
            "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
            "7698a772-787b-4ac8-901f-60d6b08affd2", // Cloud Device Administrator
            "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
            "9360feb5-f418-4baa-8175-e2a00bac4301", // Directory Writers
            "8329153b-31d0-4727-b945-745eb3bc5f31", // Domain Name Administrator
            "be2f45a1-457d-42af-a067-6ec1fa63bc45", // External Identity Provider Administrator
            "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
            "f2ef992c-3afb-46b9-b7cf-a126ee74c451", // Global Reader
            "729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
            "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", // Hybrid Identity Administrator
            "3a2c62db-5318-420d-8d74-23affee5d9d5", // Intune Administrator
            "59d46f88-662b-457b-bceb-5c3809e5908f", // Lifecycle Workflows Administrator
            "4ba39ca4-527c-499a-b93d-d9b492c50246", // Partner Tier1 Support
            "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", // Partner Tier2 Support
            "966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
            "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
            "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
            "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
            "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", // Security Operator
            "5d6b6bb7-de71-4623-b4af-96380a352509", // Security Reader
            "fe930be7-5e62-47db-91af-98c3a49a38b1"); // User Administrator

    private PrivilegedRoles() {}

    /**
     * The role's privilege: Graph's own {@code isPrivileged} when it sends one; else, for a built-in role, whether
     * Microsoft labels it privileged; null for a custom role.
     */
    static Boolean of(JsonNode definition) {
        JsonNode mark = definition.get("isPrivileged");
        if (mark != null && mark.isBoolean()) {
            return mark.asBoolean();
        }
        if (!definition.path("isBuiltIn").asBoolean(false)) {
            return null;
        }
        String template =
                definition.path("templateId").asText(definition.path("id").asText(""));
        return LABELLED.contains(template.toLowerCase(Locale.ROOT));
    }
}
