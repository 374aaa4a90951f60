package dev.keyline.platform.people;

import dev.keyline.platform.people.PeopleDtos.OwnerSnapshotDto;
import dev.keyline.platform.people.PeopleDtos.PersonAccountDto;
import dev.keyline.platform.people.PeopleDtos.PersonDto;
import dev.keyline.platform.people.PeopleDtos.RemovedDto;
import dev.keyline.platform.sync.CsvCells;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner snapshot as RFC 4180 CSV: one row per (person, account), people found in several accounts first, then
 * the unmatched; the person's summary repeats on each of its rows so that any row read alone is evidence.
 */
final class OwnerSnapshotCsv {
    static final List<String> COLUMNS = List.of(
            "person_id",
            "matched",
            "person_name",
            "person_primary_email_address",
            "person_emails",
            "is_privileged_anywhere",
            "mfa_everywhere",
            "active_in",
            "account_id",
            "provider",
            "synced_at",
            "user_id",
            "remote_id",
            "username",
            "status",
            "is_privileged",
            "mfa_enrolled",
            "last_login_at",
            "type",
            "remote_was_deleted",
            "removed",
            "removed_at");

    /** Separates the values of a multi-valued cell, as in the per-account snapshot. */
    static final String MULTI_VALUE_SEPARATOR = "; ";

    private OwnerSnapshotCsv() {}

    static void write(OwnerSnapshotDto snapshot, OutputStream out) throws IOException {
        Map<String, RemovedDto> removed = new HashMap<>();
        if (snapshot.removed() != null) {
            snapshot.removed().forEach(r -> removed.put(r.accountId() + "\n" + r.remoteId(), r));
        }
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        row(writer, COLUMNS);
        List<PersonDto> everyone = new ArrayList<>(snapshot.people());
        everyone.addAll(snapshot.unmatched());
        for (PersonDto person : everyone) {
            for (PersonAccountDto account : person.accounts()) {
                RemovedDto gone = removed.get(account.accountId() + "\n" + account.remoteId());
                row(
                        writer,
                        List.of(
                                person.id(),
                                String.valueOf(person.matched()),
                                text(person.name()),
                                text(person.primaryEmailAddress()),
                                String.join(MULTI_VALUE_SEPARATOR, person.emails()),
                                text(person.isPrivilegedAnywhere()),
                                text(person.mfaEverywhere()),
                                String.valueOf(person.activeIn()),
                                account.accountId(),
                                account.provider(),
                                text(account.syncedAt()),
                                account.userId(),
                                account.remoteId(),
                                text(account.username()),
                                text(account.status()),
                                text(account.isPrivileged()),
                                text(account.mfa().enrolled()),
                                text(account.lastLoginAt()),
                                account.type() == null ? "" : account.type().value(),
                                String.valueOf(account.remoteWasDeleted()),
                                gone == null ? "" : gone.change(),
                                gone == null ? "" : gone.at().toString()));
            }
        }
        writer.flush();
    }

    private static void row(Writer writer, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                writer.write(',');
            }
            writer.write(CsvCells.cell(cells.get(i)));
        }
        writer.write("\r\n");
    }

    /** Unknown (null) is an empty cell, never {@code false}. */
    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
