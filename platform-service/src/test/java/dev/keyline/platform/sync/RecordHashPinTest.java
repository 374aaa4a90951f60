package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Content hashes are stored with every synced record and decide whether it changed, so their bytes are pinned: these
 * are the hashes that the hand-built hash text of b936a4f (2026-12-06) computed for the same records. A change in how the hashed text is built, or in the BSON writer under it, fails here before it would mark
 * every stored record as updated once.
 */
class RecordHashPinTest {

    @Test
    void hashesOfVariedRecordsAreThePinnedOnes() {
        List<Document> records = records();
        List<String> pinned = List.of(PINNED);
        assertThat(records).hasSameSizeAs(pinned);
        for (int i = 0; i < records.size(); i++) {
            assertThat(RecordCodec.hash(records.get(i)))
                    .as("record %d: %s", i, records.get(i))
                    .isEqualTo(pinned.get(i));
        }
    }

    private static final String[] PINNED = {
        "3b7c4afba77bc760eb7cf6b727b50a538dfe79f3d54988e525ef0cc9d763885c",
        "0b42f3ba44e266a1782492133bfeec4f53fb451b629e3cd8b313f0f5da60f0ea",
        "303392cda66a2e97adbe9425e2833dbc6d7b3bd59f30d29dc7488114a05a841e",
        "c86612b35065b650167e75a6468ce097a6399e5687dbdbf1bc92b36d3397b0ea",
        "5f9c35fcee6aa3dc5fa67b6b84417f3536167d0ef7af983dde5d0b0799ae744c",
        "5e069d7b8491a61d5e991f9b3f98f5a9c914444d1916eba41f8d405ecd84d312"
    };

    static List<Document> records() {
        List<Document> records = new ArrayList<>();
        records.add(RecordCodec.user(User.builder("u1")
                .username("alice")
                .name("Alice O'Hara")
                .firstName("Alice")
                .lastName("O'Hara")
                .primaryEmailAddress("alice@example.com")
                .emails(List.of(
                        new Email("alice@example.com", "work", true), new Email("a.ohara@example.org", null, false)))
                .status(new UserStatus(StatusValue.ENABLED, "ACTIVE"))
                .isBotUser(false)
                .groups(List.of(new GroupRef("g1", "Engineering"), new GroupRef("g2", null)))
                .roleNames(List.of("admin", "owner"))
                .createdAt(Instant.parse("2024-01-02T03:04:05.123456789Z"))
                .updatedAt(Instant.parse("2026-12-06T10:00:00Z"))
                .build()));
        records.add(RecordCodec.user(User.builder("u2")
                .username("zoë.ångström")
                .name("Zoë Ångström 日本語 \uD83D\uDE00")
                .firstName("Zoë")
                .lastName(null)
                .primaryEmailAddress(null)
                .emails(List.of())
                .status(new UserStatus(StatusValue.UNMAPPED_VALUE, "quote \" back\\slash tab\t nl\n \u0000 \u2028"))
                .isBotUser(true)
                .groups(List.of())
                .roles(List.of())
                .createdAt(null)
                .updatedAt(null)
                .build()));
        records.add(RecordCodec.group(new Group(
                "g1",
                "Engineering <core> & {ops}",
                "a/b [e] ~^`|$+=",
                "team",
                List.of(new MemberRef("u1", "alice"), new MemberRef("u2", null)),
                2,
                Instant.ofEpochMilli(1_700_000_000_123L),
                null,
                null)));
        records.add(RecordCodec.group(
                new Group("g2", "", null, null, null, null, Instant.EPOCH, Instant.EPOCH, Map.of("ignored", "raw"))));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("plain", "map");
        nested.put("number", 12);
        records.add(new Document("name", "numbers")
                .append("int", Integer.MIN_VALUE)
                .append("long", 42L)
                .append("big_long", Long.MAX_VALUE)
                .append("double", 1.5d)
                .append("negative_zero", -0.0d)
                .append("date", new Date(0))
                .append("bool", true)
                .append("null", null)
                .append("updated_at", "not compared"));
        records.add(new Document("nested", new Document("k\"ey", List.of(1, "two", new Document("t", "\u00e9"))))
                .append("map", nested)
                .append("list_of_lists", Arrays.asList(List.of(), List.of("a", List.of("b")), null))
                .append("lone_surrogate", "lone \uD800 surrogate")
                .append("controls", "\u001f\u007f\b\f\r"));
        return records;
    }
}
