package org.saeatlas.cli;

/** Quoting for the shell scripts the atlas writes. */
final class Shell {

    private Shell() {
    }

    /** {@code s} as one POSIX shell word: unquoted when it is plainly safe, else in single quotes. */
    static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
