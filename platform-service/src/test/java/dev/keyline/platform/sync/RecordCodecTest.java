package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The content hash must stay what earlier versions stored, or every record synced before would show as updated
 * once: the hand-written encoding is checked against the BSON JSON writer it replaces.
 */
class RecordCodecTest {
    private static final List<String> TEXTS = List.of(
            "",
            "alice",
            "Alice O'Hara",
            "quote \" and back\\slash",
            "a/b <c> & {d} [e] ~^`|$+=",
            "tab\tnew\nline\rcr\bbs\ffeed",
            "\u0000\u001f\u007f control",
            "Zoë Ångström",
            "日本語",
            "emoji \uD83D\uDE00",
            "line\u2028sep",
            "lone \uD800 surrogate");

    @Test
    void fieldTextIsTheBsonWritersText() {
        List<Object> values = new ArrayList<>(TEXTS);
        values.addAll(Arrays.asList(
                null,
                true,
                false,
                0,
                -7,
                Integer.MAX_VALUE,
                42L,
                1.5d,
                new Date(0),
                List.of(),
                new ArrayList<>(List.of("a", "b")),
                List.of(new Document()),
                new Document("remote_id", "g1").append("name", null),
                new Document("value", "x@example.com").append("type", "work").append("primary", true),
                new Document("nested", new Document("k\"ey", List.of(1, "two", new Document("t", "\u00e9")))),
                Map.of("plain", "map")));
        for (Object value : values) {
            assertThat(RecordCodec.fieldJson(value)).as("%s", value).isEqualTo(new Document("v", value).toJson());
        }
    }

    @Test
    void hashesOfRandomUsersAndGroupsAreTheFormerOnes() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            Document user = RecordCodec.user(randomUser(random, i));
            assertThat(RecordCodec.hash(user)).isEqualTo(formerHash(user));
            Document group = RecordCodec.group(randomGroup(random, i));
            assertThat(RecordCodec.hash(group)).isEqualTo(formerHash(group));
        }
    }

    @Test
    void aRecordReadBackHashesAndComparesAsTheOneWritten() {
        Document written = RecordCodec.user(randomUser(new Random(3), 1));
        Document readBack = Document.parse(written.toJson());
        assertThat(RecordCodec.hash(readBack)).isEqualTo(RecordCodec.hash(written));
        assertThat(RecordCodec.changedFields(readBack, written)).isEmpty();

        Document changed = Document.parse(written.toJson());
        changed.put("last_name", "Changed \u00e9");
        changed.put("updated_at", "2030-01-01T00:00:00Z");
        assertThat(RecordCodec.hash(changed)).isNotEqualTo(RecordCodec.hash(written));
        assertThat(RecordCodec.changedFields(readBack, changed)).containsExactly("last_name");
    }

    private static User randomUser(Random random, int i) {
        List<Email> emails = new ArrayList<>();
        for (int e = 0; e < random.nextInt(3); e++) {
            emails.add(new Email(text(random) + "@example.com", random.nextBoolean() ? "work" : null, e == 0));
        }
        List<GroupRef> groups = new ArrayList<>();
        for (int g = 0; g < random.nextInt(4); g++) {
            groups.add(new GroupRef("g" + g, random.nextBoolean() ? text(random) : null));
        }
        return User.builder("u" + i)
                .username(text(random))
                .name(random.nextBoolean() ? text(random) : null)
                .firstName(text(random))
                .lastName(random.nextBoolean() ? text(random) : null)
                .primaryEmailAddress(emails.isEmpty() ? null : emails.get(0).value())
                .emails(emails)
                .status(new UserStatus(StatusValue.values()[random.nextInt(4)], random.nextBoolean() ? "ACTIVE" : null))
                .isBotUser(random.nextBoolean())
                .groups(groups)
                .roleNames(random.nextBoolean() ? List.of("admin", text(random)) : List.of())
                .createdAt(random.nextBoolean() ? Instant.ofEpochMilli(random.nextLong(1L << 42)) : null)
                .updatedAt(Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)))
                .build();
    }

    private static Group randomGroup(Random random, int i) {
        List<MemberRef> members = null;
        if (random.nextBoolean()) {
            members = new ArrayList<>();
            for (int m = 0; m < random.nextInt(5); m++) {
                members.add(new MemberRef("u" + m, random.nextBoolean() ? text(random) : null));
            }
        }
        return new Group(
                "g" + i,
                text(random),
                random.nextBoolean() ? text(random) : null,
                random.nextBoolean() ? "team" : null,
                members,
                members == null ? null : members.size(),
                Instant.ofEpochMilli(random.nextLong(1L << 42)),
                null,
                null);
    }

    private static String text(Random random) {
        return TEXTS.get(random.nextInt(TEXTS.size())) + random.nextInt(100);
    }

    /** The hash as versions before the hand-written encoding computed it. */
    private static String formerHash(Document record) throws IllegalStateException {
        StringBuilder canonical = new StringBuilder();
        record.forEach((key, value) -> {
            if (!RecordCodec.NOT_COMPARED.contains(key)) {
                canonical
                        .append(key)
                        .append('=')
                        .append(new Document("v", value).toJson())
                        .append('\n');
            }
        });
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
