package org.saeatlas.ingest.formats;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A parsed safetensors file: its {@code __metadata__} strings and its tensors in data-offset order. */
public record SafetensorsFile(Path file, Map<String, String> metadata, Map<String, Tensor> tensors) {

    public SafetensorsFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The tensor called {@code name}; fails naming the file and the tensors it does hold. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw FormatError.of(file, "tensor '" + name + "'", "present", "only " + tensors.keySet());
        }
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }
}
