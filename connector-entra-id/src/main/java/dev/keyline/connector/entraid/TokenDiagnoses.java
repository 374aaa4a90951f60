package dev.keyline.connector.entraid;

import dev.keyline.connector.spi.ConnectorException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Entra's token-endpoint refusals in plain words. Microsoft names each cause with an AADSTS number, sent
 * in {@code error_codes} and at the start of {@code error_description}; the platform hands both over.
 */
final class TokenDiagnoses {
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

    /** An AADSTS number, the field to fix, a message-code reason and the sentence. */
    private record Diagnosis(String number, String field, String reason, String sentence) {}

    private static final List<Diagnosis> KNOWN = List.of(
            new Diagnosis(
                    "90002",
                    EntraIdConnectorFactory.TENANT_ID,
                    "tenant_not_found",
                    "Microsoft Entra knows no tenant with this ID or domain in the chosen cloud: copy the Directory "
                            + "(tenant) ID from the app registration's Overview page, and check the cloud."),
            new Diagnosis(
                    "900023",
                    EntraIdConnectorFactory.TENANT_ID,
                    "tenant_invalid",
                    "The directory (tenant) ID is not a valid tenant: copy it from the app registration's Overview "
                            + "page."),
            new Diagnosis(
                    "7000215",
                    "client_secret",
                    "client_secret_invalid",
                    "Microsoft Entra refused the client secret: enter the secret's Value (not its Secret ID) from the "
                            + "app registration's Certificates & secrets page, or create a new secret."),
            new Diagnosis(
                    "7000222",
                    "client_secret",
                    "client_secret_expired",
                    "The client secret has expired: create a new one under the app registration's Certificates & "
                            + "secrets and update the account with its Value."),
            new Diagnosis(
                    "700016",
                    "client_id",
                    "client_not_found",
                    "Microsoft Entra knows no application with this client ID in this tenant: copy the Application "
                            + "(client) ID from the app registration's Overview page, and check that the app is "
                            + "registered in this tenant."));

    private TokenDiagnoses() {}

    static Optional<ConnectorException> explain(ConnectorException failure) {
        List<String> numbers = numbers(failure);
        for (Diagnosis diagnosis : KNOWN) {
            if (numbers.contains(diagnosis.number())) {
                return Optional.of(ConnectorException.builder(failure.code(), diagnosis.sentence())
                        .messageCode(EntraIdConnectorFactory.CODE + "." + diagnosis.reason())
                        .field(diagnosis.field())
                        .param("aadsts", diagnosis.number())
                        .cause(failure)
                        .build());
            }
        }
        return Optional.empty();
    }

    /** The AADSTS numbers of the failure: {@code error_codes} first, else those the description names. */
    private static List<String> numbers(ConnectorException failure) {
        String codes = failure.params().get("error_codes");
        if (codes != null && !codes.isBlank()) {
            return Arrays.stream(codes.split("[,\\s\\[\\]]+"))
                    .filter(s -> !s.isBlank())
                    .toList();
        }
        String description = failure.params().getOrDefault("error_description", "");
        Matcher m = AADSTS.matcher(description);
        return m.results().map(r -> r.group(1)).toList();
    }
}
