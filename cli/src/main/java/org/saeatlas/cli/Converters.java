package org.saeatlas.cli;

import org.saeatlas.errors.AtlasException;
import org.saeatlas.djl.EngineChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values checked when the command line is read, so a bad one fails at once and names the option. */
final class Converters {

    private Converters() {
    }

    /** A TCP port, 0 meaning "choose one". */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a port number 0-65535 (0: choose one), found '" + value + "'");
            }
            if (port < 0 || port > 65_535) {
                throw new TypeConversionException("expected a port number 0-65535 (0: choose one), found " + port);
            }
            return port;
        }
    }

    /** A compute device: auto, cpu, gpu or java (checked here, used when the engine starts). */
    static final class Device implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                EngineChoice.parse(value);
            } catch (AtlasException e) {
                throw new TypeConversionException(e.getMessage().replaceFirst("^--device: ", ""));
            }
            return value;
        }
    }
}
