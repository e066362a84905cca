package org.saeatlas.ingest.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;

/**
 * Writes a run's graph for other tools: a CSV edge list (pandas, networkx), GraphML (Gephi, networkx, igraph) or
 * networkx node-link JSON. Nodes are the features of the run's SAE, identified by their index; edges are undirected
 * {@code i < j}. A run across SAEs (a match, a cross-layer imported graph) names its nodes by feature id and holds the
 * features its edges touch; an imported graph keeps its direction and, in a multigraph, each parallel edge and key. Files are written to a temporary sibling and moved into place, so a failed export leaves no half file.
 */
public final class RunExport {

    /** Export formats. */
    public enum Format {
        CSV("text/csv", "csv"), GRAPHML("application/xml", "graphml"), NODELINK("application/json", "json");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        /** The media type of a download in this format. */
        public String mediaType() {
            return mediaType;
        }

        /** The file extension of this format. */
        public String extension() {
            return extension;
        }

        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "graphml" -> GRAPHML;
                case "nodelink", "node-link", "json" -> NODELINK;
                default -> throw new AtlasException("export format: expected csv, graphml or nodelink, found " + name);
            };
        }
    }

    /** What was written. */
    public record Summary(Path file, long nodes, long edges) { }

    private RunExport() {
    }

    /**
     * Writes the run's graph to {@code out} as it is read (for a download: nothing is held in memory beyond a batch);
     * returns {nodes, edges}. The stream is flushed, not closed.
     */
    public static long[] stream(CypherExecutor db, String runId, Format format, OutputStream out, Progress progress)
            throws IOException {
        RunEdgeStream graph = RunEdgeStream.of(db, runId);
        try {
            return switch (format) {
                case CSV -> csv(graph, out, progress);
                case GRAPHML -> graphml(graph, out, progress);
                case NODELINK -> nodeLink(graph, out, progress);
            };
        } catch (XMLStreamException e) {
            throw new AtlasException("export of run " + runId + " to GraphML: " + e.getMessage(), e);
        }
    }

    public static Summary write(CypherExecutor db, String runId, Format format, Path out, Progress progress) {
        RunEdgeStream graph = RunEdgeStream.of(db, runId);
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".part");
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            long[] counts;
            try (OutputStream stream = Files.newOutputStream(tmp)) {
                counts = switch (format) {
                    case CSV -> csv(graph, stream, progress);
                    case GRAPHML -> graphml(graph, stream, progress);
                    case NODELINK -> nodeLink(graph, stream, progress);
                };
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(out, counts[0], counts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("export of run " + runId + " to " + out + ": " + e.getMessage(), e);
        } catch (XMLStreamException e) {
            throw new AtlasException("export of run " + runId + " to GraphML: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** {@code i,j,<edge properties in sorted order>}; booleans as 1/0, nulls empty. */
    static long[] csv(RunEdgeStream graph, OutputStream stream, Progress progress) throws IOException {
        Writer w = new BufferedWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        boolean ids = graph.acrossSaes();
        w.write(ids ? "source,target" : "i,j");
        for (String k : graph.edgeKeys().keySet()) {
            w.write(',');
            w.write(csvField(k));
        }
        w.write('\n');
        long[] n = new long[2];
        StringBuilder line = new StringBuilder(128);
        graph.edges(e -> {
            line.setLength(0);
            if (ids) {
                line.append(csvField(e.a())).append(',').append(csvField(e.b()));
            } else {
                line.append(e.i()).append(',').append(e.j());
            }
            e.properties().values().forEach(v -> line.append(',').append(csvValue(v)));
            line.append('\n');
            try {
                w.write(line.toString());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            tick(progress, ++n[1]);
        });
        w.flush();
        return n;
    }

    static long[] graphml(RunEdgeStream graph, OutputStream stream, Progress progress) throws XMLStreamException {
        XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(stream, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("graphml");
        x.writeDefaultNamespace("http://graphml.graphdrawing.org/xmlns");
        key(x, "graph", "g_run", "run", "string");
        Map<String, Object> run = graph.run();
        for (String k : run.keySet()) {
            key(x, "graph", "g_" + k, k, "string");
        }
        key(x, "node", "n_sae", "sae", "string");
        key(x, "node", "n_index", "index", "int");
        key(x, "node", "n_explanation", "explanation", "string");
        key(x, "node", "n_firingRate", "firingRate", "double");
        key(x, "node", "n_meanActivation", "meanActivation", "double");
        key(x, "node", "n_maxActivation", "maxActivation", "double");
        graph.edgeKeys().forEach((k, t) -> key(x, "edge", "e_" + k, k, t.name().toLowerCase(Locale.ROOT)));
        x.writeCharacters("\n");
        x.writeStartElement("graph");
        x.writeAttribute("id", graph.runId());
        x.writeAttribute("edgedefault", graph.directed() ? "directed" : "undirected");
        data(x, "g_run", graph.runId());
        for (var e : run.entrySet()) {
            data(x, "g_" + e.getKey(), e.getValue() instanceof String s ? s : json(e.getValue()));
        }
        long[] n = new long[2];
        graph.nodes(node -> {
            wrap(() -> {
                x.writeCharacters("\n");
                x.writeStartElement("node");
                x.writeAttribute("id", graph.acrossSaes() ? node.id() : String.valueOf(node.index()));
                data(x, "n_sae", node.sae());
                data(x, "n_index", node.index());
                data(x, "n_explanation", node.explanation());
                data(x, "n_firingRate", node.firingRate());
                data(x, "n_meanActivation", node.meanActivation());
                data(x, "n_maxActivation", node.maxActivation());
                x.writeEndElement();
            });
            n[0]++;
        });
        graph.edges(edge -> {
            wrap(() -> {
                x.writeCharacters("\n");
                x.writeStartElement("edge");
                x.writeAttribute("source", graph.acrossSaes() ? edge.a() : String.valueOf(edge.i()));
                x.writeAttribute("target", graph.acrossSaes() ? edge.b() : String.valueOf(edge.j()));
                for (var p : edge.properties().entrySet()) {
                    data(x, "e_" + p.getKey(), p.getValue());
                }
                x.writeEndElement();
            });
            tick(progress, ++n[1]);
        });
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeEndDocument();
        x.flush();
        return n;
    }

    /** networkx {@code node_link_data}: {@code {directed, multigraph, graph, nodes:[{id,...}], links:[{source,target,...}]}}. */
    static long[] nodeLink(RunEdgeStream graph, OutputStream stream, Progress progress) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonGenerator g = new JsonFactory(mapper).createGenerator(stream, JsonEncoding.UTF8);
        g.writeStartObject();
        g.writeBooleanField("directed", graph.directed());
        g.writeBooleanField("multigraph", graph.multigraph());
        g.writeFieldName("graph");
        Map<String, Object> run = new java.util.LinkedHashMap<>();
        run.put("run", graph.runId());
        run.putAll(graph.run());
        mapper.writeValue(g, run);
        long[] n = new long[2];
        g.writeArrayFieldStart("nodes");
        graph.nodes(node -> {
            io(() -> {
                g.writeStartObject();
                if (graph.acrossSaes()) {
                    g.writeStringField("id", node.id());
                    g.writeStringField("sae", node.sae());
                } else {
                    g.writeNumberField("id", node.index());
                }
                g.writeNumberField("index", node.index());
                g.writeObjectField("explanation", node.explanation());
                g.writeObjectField("firingRate", node.firingRate());
                g.writeObjectField("meanActivation", node.meanActivation());
                g.writeObjectField("maxActivation", node.maxActivation());
                g.writeEndObject();
            });
            n[0]++;
        });
        g.writeEndArray();
        g.writeArrayFieldStart("links");
        graph.edges(edge -> {
            io(() -> {
                g.writeStartObject();
                if (graph.acrossSaes()) {
                    g.writeStringField("source", edge.a());
                    g.writeStringField("target", edge.b());
                } else {
                    g.writeNumberField("source", edge.i());
                    g.writeNumberField("target", edge.j());
                }
                for (var p : edge.properties().entrySet()) {
                    g.writeObjectField(p.getKey(), p.getValue());
                }
                g.writeEndObject();
            });
            tick(progress, ++n[1]);
        });
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        return n;
    }

    private static void tick(Progress progress, long edges) {
        if (edges % 100_000 == 0) {
            progress.update("edges exported", edges, 0);
        }
    }

    private static void key(XMLStreamWriter x, String domain, String id, String name, String type) {
        wrap(() -> {
            x.writeCharacters("\n");
            x.writeEmptyElement("key");
            x.writeAttribute("id", id);
            x.writeAttribute("for", domain);
            x.writeAttribute("attr.name", name);
            x.writeAttribute("attr.type", type);
        });
    }

    private static void data(XMLStreamWriter x, String key, Object value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeStartElement("data");
        x.writeAttribute("key", key);
        x.writeCharacters(String.valueOf(value));
        x.writeEndElement();
    }

    private static String csvValue(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return v instanceof String s ? csvField(s) : String.valueOf(v);
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface XmlStep {
        void run() throws XMLStreamException;
    }

    private interface IoStep {
        void run() throws IOException;
    }

    private static void wrap(XmlStep step) {
        try {
            step.run();
        } catch (XMLStreamException e) {
            throw new AtlasException("GraphML: " + e.getMessage(), e);
        }
    }

    private static void io(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
