package org.saeatlas.ingest.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The JSON Schema of the atlas file (in the schema module) names exactly the keys the reader accepts. */
class AtlasFileSchemaTest {

    static Set<String> keys(JsonNode object) {
        Set<String> s = new TreeSet<>();
        object.get("properties").fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void theSchemaAndTheReaderAgreeOnEveryKey() throws Exception {
        JsonNode schema;
        try (InputStream in = AtlasFileSchemaTest.class.getResourceAsStream("/atlas-file/atlas-file.schema.json")) {
            assertNotNull(in, "atlas-file.schema.json on the classpath");
            schema = new ObjectMapper().readTree(in);
        }
        JsonNode defs = schema.get("$defs");
        JsonNode props = schema.get("properties");
        assertEquals(new TreeSet<>(AtlasFile.TOP), keys(schema));
        assertEquals(new TreeSet<>(AtlasFile.MODEL), keys(defs.get("model")));
        assertEquals(new TreeSet<>(AtlasFile.SAE), keys(defs.get("sae")));
        assertEquals(new TreeSet<>(AtlasFile.INPUTS), keys(defs.get("inputs")));
        assertEquals(new TreeSet<>(AtlasSettings.KEYS.keySet()), keys(defs.get("settings")));
        assertEquals(new TreeSet<>(AtlasFile.MATCHES), keys(props.get("matches")));
        assertEquals(new TreeSet<>(AtlasFile.COMPARISONS), keys(props.get("comparisons")));
        assertEquals(new TreeSet<>(AtlasFile.CONNECTIONS), keys(props.get("connections")));
        Set<String> arch = new TreeSet<>();
        defs.get("sae").get("properties").get("architecture").get("enum").forEach(n -> arch.add(n.asText()));
        assertEquals(new TreeSet<>(AtlasFile.ARCHITECTURES), arch);
    }
}
