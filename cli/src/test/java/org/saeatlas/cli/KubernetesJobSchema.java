package org.saeatlas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes batch/v1 Job JSON Schema (test resource kubernetes/, see its SOURCE.md), adapted to how Kubernetes
 * reads JSON and made strict, and a validator for it (networknt json-schema-validator, draft-07).
 */
final class KubernetesJobSchema {

    static final String FILE = "/kubernetes/fabric8-kubernetes-model-batch-6.13.4-validation-schema.json";
    static final String JOB = "kubernetes_batch_v1_Job";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = load();

    private KubernetesJobSchema() {
    }

    /** The schema's complaints about {@code job}, one line each (instance location: message); empty when valid. */
    static List<String> errors(JsonNode job) {
        List<String> out = new ArrayList<>();
        for (Error e : SCHEMA.validate(job)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    private static Schema load() {
        ObjectNode root;
        try (InputStream in = KubernetesJobSchema.class.getResourceAsStream(FILE)) {
            root = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode definitions = (ObjectNode) root.get("definitions");
        // JSON forms of the two types the schema describes as Java objects
        definitions.set("k8s_io_apimachinery_pkg_api_resource_Quantity",
                JSON.createObjectNode().set("type", JSON.createArrayNode().add("string").add("number")));
        definitions.set("kubernetes_apimachinery_pkg_util_intstr_IntOrString",
                JSON.createObjectNode().set("type", JSON.createArrayNode().add("string").add("integer")));
        for (JsonNode d : definitions) {
            adapt((ObjectNode) d);
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("$ref", "#/definitions/" + JOB);
        schema.set("definitions", definitions);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schema);
    }

    /** Draft-3 "required": true to the draft-07 list; strict objects; Java-only keywords dropped; recursively. */
    private static void adapt(ObjectNode node) {
        node.remove(List.of("javaType", "existingJavaType", "javaOmitEmpty", "javaInterfaces", "id"));
        JsonNode properties = node.get("properties");
        if (properties instanceof ObjectNode props) {
            ArrayNode required = JSON.createArrayNode();
            Iterator<Map.Entry<String, JsonNode>> it = props.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> p = it.next();
                if (p.getValue() instanceof ObjectNode prop) {
                    if (prop.path("required").isBoolean()) {
                        if (prop.get("required").asBoolean()) {
                            required.add(p.getKey());
                        }
                        prop.remove("required");
                    }
                    adapt(prop);
                }
            }
            if (!required.isEmpty()) {
                node.set("required", required);
            }
            if (!node.path("additionalProperties").isObject()) {
                node.put("additionalProperties", false);
            }
        }
        for (String child : List.of("items", "additionalProperties")) {
            if (node.get(child) instanceof ObjectNode c) {
                adapt(c);
            }
        }
    }
}
