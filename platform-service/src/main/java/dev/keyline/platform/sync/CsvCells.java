package dev.keyline.platform.sync;

/**
 * CSV cells for the evidence Keyline hands out (the per-account and the owner snapshots): RFC 4180 quoting after
 * OWASP's CSV-injection guidance.
 */
public final class CsvCells {
    /** Characters after which an importer may start a new cell: separators, quotes and line ends. */
    private static final String CELL_BREAKS = ",;\"'\r\n\t|";

    private CsvCells() {}

    /**
     * One CSV cell, after OWASP's CSV-injection guidance. Every cell is quoted (quotes doubled), so a comma,
     * semicolon or line break inside it never starts another cell, whatever separator the spreadsheet assumes.
     * A cell a spreadsheet could run as a formula gets a leading apostrophe and stays text: one whose first
     * character after leading whitespace is a formula trigger, and one holding a separator or quote followed
     * (after whitespace) by a trigger, since an importer that splits on that separator would start a new cell
     * there ("ok;=HYPERLINK(...)"). Defusing the whole cell rather than the inner position keeps the value
     * readable and its meaning unchanged for a reader that does not split.
     */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "\"\"";
        }
        String safe = formulaAt(value, 0) || formulaAfterSeparator(value) ? "'" + value : value;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    /** Whether, skipping whitespace from {@code from}, the next character makes a spreadsheet read a formula. */
    private static boolean formulaAt(String value, int from) {
        int i = from;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (isFormulaTrigger(c)) {
                return true;
            }
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                return false;
            }
            i++;
        }
        return false;
    }

    private static boolean formulaAfterSeparator(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (CELL_BREAKS.indexOf(value.charAt(i)) >= 0 && formulaAt(value, i + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * OWASP's list (=, +, -, @, tab, carriage return) and their full-width forms, which some spreadsheets
     * normalise to the ASCII ones.
     */
    private static boolean isFormulaTrigger(char c) {
        return switch (c) {
            case '=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20' -> true;
            default -> false;
        };
    }
}
