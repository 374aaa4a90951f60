package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OWASP's CSV-injection guidance, cell by cell: every cell quoted, and a cell a spreadsheet could run as a formula
 * (after leading whitespace, or after a separator or quote inside the cell) turned into text with a leading
 * apostrophe. The examples are the audit's.
 */
class SnapshotCsvCellTest {

    @Test
    void everyCellIsQuoted() {
        assertThat(Snapshot.cell("plain")).isEqualTo("\"plain\"");
        assertThat(Snapshot.cell("")).isEqualTo("\"\"");
        assertThat(Snapshot.cell(null)).isEqualTo("\"\"");
        assertThat(Snapshot.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                " =1+1",
                "  +1",
                "\u00a0@SUM(A1)",
                "\n-2",
                "ok;=HYPERLINK(\"http://evil\",\"x\")",
                "ok; =HYPERLINK(\"http://evil\")",
                "ok,=1+1",
                "ok\"=1+1",
                "ok'@cmd",
                "ok;\t=1",
                "a\r\n=1+1",
                "\uff1d1+1"
            })
    void formulaAfterWhitespaceOrASeparatorIsDefused(String value) {
        assertThat(Snapshot.cell(value)).isEqualTo("\"'" + value.replace("\"", "\"\"") + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"})
    void formulaAtTheStartIsDefused(String value) {
        assertThat(Snapshot.cell(value)).isEqualTo("\"'" + value + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=b", "ann@example.com", "x-1", "Smith, Jr", "ok; fine", "1+1"})
    void harmlessCellsAreLeftAsTheyAre(String value) {
        assertThat(Snapshot.cell(value)).isEqualTo("\"" + value + "\"");
    }
}
